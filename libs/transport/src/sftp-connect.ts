import { promises as fsp } from 'node:fs';
import SftpClient from 'ssh2-sftp-client';
import type { EndpointAddress } from './endpoint-url';
import { TransportError } from './errors';
import { checkHostKey, knownHostKey, type KnownHosts } from './known-hosts';
import { SftpDriver, destroySshConnection, type SftpClientLike } from './sftp-driver';
import { withTimeout } from './timeouts';

type SftpAddress = Extract<EndpointAddress, { scheme: 'sftp' }>;

export interface SftpConnectSettings {
  readonly privateKey?: string | Buffer;
  readonly passphrase?: string;
  readonly knownHosts: KnownHosts;
  readonly connectTimeoutMs: number;
  readonly endTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
}

async function loadPrivateKey(key: string | Buffer | undefined, label: string): Promise<Buffer | undefined> {
  if (key === undefined || Buffer.isBuffer(key)) return key;
  try {
    return await fsp.readFile(key);
  } catch (err) {
    throw new TransportError('CONNECT_FAILED', `endpoint ${label}: the private key file could not be read`, {
      cause: err,
    });
  }
}

/**
 * Opens ONE new SFTP connection (a new client object each time). The host key must match the pin
 * for `host:port`; an unknown host is refused before any network traffic.
 */
export async function connectSftp(addr: SftpAddress, s: SftpConnectSettings): Promise<SftpDriver> {
  const label = addr.redacted;
  const pinKey = knownHostKey(addr.host, addr.port);
  if (!s.knownHosts.has(pinKey)) {
    throw new TransportError(
      'HOST_KEY_REJECTED',
      `endpoint ${label}: unknown host ${pinKey} (no pinned host key)`,
    );
  }
  const privateKey = await loadPrivateKey(s.privateKey, label);
  if (privateKey === undefined && addr.password === undefined) {
    throw new TransportError('CONNECT_FAILED', `endpoint ${label}: no private key or password configured`);
  }

  let rejection: 'UNKNOWN_HOST' | 'KEY_MISMATCH' | undefined;
  // Own no-op global listeners: the library's defaults print to the console after failures.
  const client = new SftpClient('dpbridge', { error: () => {}, end: () => {}, close: () => {} });
  const connecting = client.connect({
    host: addr.host.replace(/^\[|\]$/g, ''),
    port: addr.port,
    username: addr.user,
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(s.passphrase !== undefined ? { passphrase: s.passphrase } : {}),
    ...(addr.password !== undefined ? { password: addr.password } : {}),
    readyTimeout: s.connectTimeoutMs,
    keepaliveInterval: s.keepaliveIntervalMs,
    hostVerifier: (key: Buffer): boolean => {
      const check = checkHostKey(s.knownHosts, addr.host, addr.port, key);
      if (!check.ok) rejection = check.reason;
      return check.ok;
    },
  });
  try {
    await withTimeout(connecting, s.connectTimeoutMs + 1000, `endpoint ${label}: connect timed out`);
  } catch (err) {
    connecting.catch(() => {});
    destroySshConnection(client);
    if (rejection !== undefined) {
      throw new TransportError(
        'HOST_KEY_REJECTED',
        rejection === 'KEY_MISMATCH'
          ? `endpoint ${label}: host key of ${pinKey} does not match the pinned key; connection refused`
          : `endpoint ${label}: unknown host ${pinKey}; connection refused`,
        { cause: err },
      );
    }
    if (err instanceof TransportError) throw err;
    const detail = err instanceof Error ? err.message : 'unknown error';
    const code = /timed out|timeout/i.test(detail) ? 'TIMEOUT' : 'CONNECT_FAILED';
    throw new TransportError(code, `endpoint ${label}: connect failed (${detail})`, { cause: err });
  }
  return new SftpDriver(client as unknown as SftpClientLike, s.endTimeoutMs);
}
