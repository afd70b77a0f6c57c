import { parseEndpointUrl, redactUrl } from './endpoint-url';
import { TransportError } from './errors';

describe('parseEndpointUrl', () => {
  it('parses file:///abs/path', () => {
    expect(parseEndpointUrl('file:///var/dpb/inbox/')).toEqual({
      scheme: 'file',
      root: '/var/dpb/inbox',
      redacted: 'file:///var/dpb/inbox/',
    });
  });

  it('decodes percent-encoded paths', () => {
    expect(parseEndpointUrl('file:///srv/care%20records').root).toBe('/srv/care records');
  });

  it('parses sftp://user@host:port/abs/path', () => {
    expect(parseEndpointUrl('sftp://dpb@SFTP.Council.gov.uk:2222/in/bank')).toEqual({
      scheme: 'sftp',
      user: 'dpb',
      host: 'sftp.council.gov.uk',
      port: 2222,
      root: '/in/bank',
      redacted: 'sftp://dpb@SFTP.Council.gov.uk:2222/in/bank',
    });
  });

  it('defaults the sftp port to 22', () => {
    expect(parseEndpointUrl('sftp://dpb@host/in')).toMatchObject({ port: 22 });
  });

  it('keeps a URL password out of the redacted form', () => {
    const a = parseEndpointUrl('sftp://dpb:s3cret@host:22/in');
    expect(a).toMatchObject({ scheme: 'sftp', password: 's3cret' });
    expect(a.redacted).toBe('sftp://dpb:***@host:22/in');
    expect(a.redacted).not.toContain('s3cret');
  });

  it.each([
    ['relative file path', 'file://relative/path'],
    ['unknown scheme', 'ftp://u@h/x'],
    ['no user', 'sftp://host:22/in'],
    ['no path', 'sftp://u@host:22'],
    ['root path only', 'sftp://u@host:22/'],
    ['query string', 'file:///in?x=1'],
    ['bad port', 'sftp://u@host:0/in'],
    ['not a URL', '/just/a/path'],
  ])('refuses %s', (_label, url) => {
    expect(() => parseEndpointUrl(url)).toThrow(TransportError);
  });

  it('never echoes a password in its errors', () => {
    try {
      parseEndpointUrl('sftp://dpb:s3cret@host:22');
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
      expect((e as TransportError).code).toBe('INVALID_URL');
    }
  });
});

describe('redactUrl', () => {
  it('hides the password even in strings that are not valid URLs', () => {
    expect(redactUrl('sftp://u:pw@')).not.toContain('pw');
    expect(redactUrl('sftp://u:p%40w@host/x')).toBe('sftp://u:***@host/x');
  });
});
