import { TransportError } from './errors';
import { checkHostKey, hostKeyFingerprint, knownHostKey, parseKnownHosts } from './known-hosts';

// Test vectors: public keys generated with ssh-keygen; the expected fingerprints are what
// `ssh-keygen -lf key.pub` printed for them (an independent implementation).
const ED25519_BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIA9ZqQ+SmvFE94j5r8aumOFn4/nMbyjQUJPSYpGqDhjk';
const ED25519_FP = 'SHA256:Gms5TRY3Tf+wwtrbIKq2yfbyu0np7eznVidN4I8Wtxc';
const ECDSA_BLOB =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCb5PGl0HHDCZYXpHb9jFZ8c403akn4kyy2YCKIDK7tLGdhvujRb3ZNkgQmP3jpxDYtUdRXf+m+MLsxOpke0IR4=';
const ECDSA_FP = 'SHA256:FZTuFqoJVuMT4nIlY5/US7cPHhYK7K+TEhveqZvqTdw';

describe('hostKeyFingerprint', () => {
  it('matches ssh-keygen -lf for an ed25519 and an ecdsa key', () => {
    expect(hostKeyFingerprint(Buffer.from(ED25519_BLOB, 'base64'))).toBe(ED25519_FP);
    expect(hostKeyFingerprint(Buffer.from(ECDSA_BLOB, 'base64'))).toBe(ECDSA_FP);
  });
});

describe('parseKnownHosts', () => {
  it('parses comma-separated host:port fingerprint pairs', () => {
    const m = parseKnownHosts(`sftp.Example.org:22 ${ED25519_FP},10.0.0.5:2222 ${ECDSA_FP}`);
    expect([...m.entries()]).toEqual([
      ['sftp.example.org:22', ED25519_FP],
      ['10.0.0.5:2222', ECDSA_FP],
    ]);
  });

  it('accepts new lines, blank entries, comments, bracketed IPv6 and a padded fingerprint', () => {
    const m = parseKnownHosts(`\n# finance\n[::1]:42022   ${ED25519_FP}=\n\n`);
    expect(m.get('[::1]:42022')).toBe(ED25519_FP);
    expect(m.size).toBe(1);
  });

  it.each([
    ['no port', `host ${ED25519_FP}`],
    ['hex fingerprint', 'host:22 SHA256:abcdef'],
    ['MD5 fingerprint', 'host:22 MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48'],
    ['missing fingerprint', 'host:22'],
    ['port out of range', `host:70000 ${ED25519_FP}`],
    ['same host pinned twice differently', `h:22 ${ED25519_FP},h:22 ${ECDSA_FP}`],
  ])('refuses a malformed entry: %s', (_label, text) => {
    expect(() => parseKnownHosts(text)).toThrow(TransportError);
  });
});

describe('checkHostKey', () => {
  const pins = parseKnownHosts(`sftp.example.org:22 ${ED25519_FP}`);
  const ed = Buffer.from(ED25519_BLOB, 'base64');
  const ec = Buffer.from(ECDSA_BLOB, 'base64');

  it('accepts the pinned key', () => {
    expect(checkHostKey(pins, 'SFTP.example.org', 22, ed)).toEqual({ ok: true });
  });
  it('refuses a different key for a pinned host', () => {
    expect(checkHostKey(pins, 'sftp.example.org', 22, ec)).toEqual({ ok: false, reason: 'KEY_MISMATCH' });
  });
  it('refuses a host that is not pinned, including the same host on another port', () => {
    expect(checkHostKey(pins, 'other.example.org', 22, ed)).toEqual({ ok: false, reason: 'UNKNOWN_HOST' });
    expect(checkHostKey(pins, 'sftp.example.org', 2222, ed)).toEqual({ ok: false, reason: 'UNKNOWN_HOST' });
  });
  it('keys entries as lower-case host:port', () => {
    expect(knownHostKey('Host.Example', 22)).toBe('host.example:22');
  });
});
