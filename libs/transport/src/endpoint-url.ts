import { TransportError } from './errors';

export type EndpointAddress =
  | { readonly scheme: 'file'; readonly root: string; readonly redacted: string }
  | {
      readonly scheme: 'sftp';
      readonly user: string;
      /** Only when the URL carries one; never printed. */
      readonly password?: string;
      readonly host: string;
      readonly port: number;
      readonly root: string;
      readonly redacted: string;
    };

/** Removes any password from a URL-like string, for messages and logs. Never throws. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    // Not a URL: hide anything between "//" and "@" that looks like user:password.
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
}

function normaliseRoot(rawPathname: string, redacted: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    throw new TransportError('INVALID_URL', `endpoint ${redacted}: path is not valid percent-encoding`);
  }
  if (!decoded.startsWith('/')) {
    throw new TransportError('INVALID_URL', `endpoint ${redacted}: path must be absolute`);
  }
  if (decoded.split('/').some((seg) => seg === '..' || seg === '.') || decoded.includes('\0')) {
    throw new TransportError(
      'INVALID_URL',
      `endpoint ${redacted}: path must not contain "." or ".." segments`,
    );
  }
  const trimmed = decoded.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * Parses `file:///abs/path` or `sftp://user[:password]@host[:port]/abs/path` (port defaults to 22).
 * Anything else is refused with INVALID_URL.
 */
export function parseEndpointUrl(url: string): EndpointAddress {
  const redacted = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError('INVALID_URL', `endpoint ${redacted}: not a valid URL`);
  }
  if (u.search !== '' || u.hash !== '') {
    throw new TransportError(
      'INVALID_URL',
      `endpoint ${redacted}: query strings and fragments are not supported`,
    );
  }
  if (u.protocol === 'file:') {
    if (u.hostname !== '' && u.hostname !== 'localhost') {
      throw new TransportError(
        'INVALID_URL',
        `endpoint ${redacted}: file URLs must be file:///absolute/path`,
      );
    }
    return { scheme: 'file', root: normaliseRoot(u.pathname, redacted), redacted };
  }
  if (u.protocol === 'sftp:') {
    if (u.hostname === '') {
      throw new TransportError('INVALID_URL', `endpoint ${redacted}: host is missing`);
    }
    if (u.username === '') {
      throw new TransportError(
        'INVALID_URL',
        `endpoint ${redacted}: user is missing (sftp://user@host:port/path)`,
      );
    }
    const port = u.port === '' ? 22 : Number(u.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TransportError('INVALID_URL', `endpoint ${redacted}: port is out of range`);
    }
    if (u.pathname === '' || u.pathname === '/') {
      throw new TransportError('INVALID_URL', `endpoint ${redacted}: an absolute folder path is required`);
    }
    const base = {
      scheme: 'sftp' as const,
      user: decodeURIComponent(u.username),
      host: u.hostname.toLowerCase(),
      port,
      root: normaliseRoot(u.pathname, redacted),
      redacted,
    };
    return u.password === '' ? base : { ...base, password: decodeURIComponent(u.password) };
  }
  throw new TransportError('INVALID_URL', `endpoint ${redacted}: scheme must be file:// or sftp://`);
}
