import { DriverEndpoint, defaultRandomToken } from './driver-endpoint';
import type { FileDriver } from './driver';
import { DEFAULT_MAX_FILE_BYTES, type Endpoint, type EndpointOptions } from './endpoint';
import { parseEndpointUrl } from './endpoint-url';
import { TransportError } from './errors';
import { LocalFileDriver } from './file-driver';
import { DEFAULT_MAX_NAME_BYTES, NAME_MAX_BYTES } from './file-names';
import { parseKnownHosts } from './known-hosts';
import { connectSftp } from './sftp-connect';
import { withTimeout } from './timeouts';

function positive(value: number | undefined, fallback: number, field: string, allowZero = false): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new TransportError(
      'INVALID_CONFIG',
      `endpoint option ${field} must be a ${allowZero ? 'non-negative' : 'positive'} number`,
    );
  }
  return v;
}

/**
 * Opens an endpoint for one job: `file:///abs/path` or `sftp://user@host:port/abs/path`. SFTP opens
 * one new connection. The root folder must exist (NOT_FOUND otherwise). Close it when done, or use
 * `withEndpoint`.
 */
export async function openEndpoint(url: string, opts: EndpointOptions = {}): Promise<Endpoint> {
  const addr = parseEndpointUrl(url);
  const operationTimeoutMs = positive(opts.operationTimeoutMs, 120_000, 'operationTimeoutMs');
  const endTimeoutMs = positive(opts.endTimeoutMs, 5_000, 'endTimeoutMs');
  const settings = {
    operationTimeoutMs,
    maxFileBytes: positive(opts.maxFileBytes, DEFAULT_MAX_FILE_BYTES, 'maxFileBytes'),
    stabilityMs: positive(opts.stabilityMs, 5_000, 'stabilityMs', true),
    minBytes: positive(opts.minBytes, 1, 'minBytes', true),
    maxNameBytes: Math.min(positive(opts.maxNameBytes, DEFAULT_MAX_NAME_BYTES, 'maxNameBytes'), NAME_MAX_BYTES),
    randomToken: opts.randomToken ?? defaultRandomToken,
  };

  let driver: FileDriver;
  if (addr.scheme === 'file') {
    driver = new LocalFileDriver();
  } else {
    const knownHosts =
      typeof opts.knownHosts === 'string'
        ? parseKnownHosts(opts.knownHosts)
        : (opts.knownHosts ?? new Map<string, string>());
    driver = await connectSftp(addr, {
      privateKey: opts.privateKey,
      passphrase: opts.passphrase,
      knownHosts,
      connectTimeoutMs: positive(opts.connectTimeoutMs, 20_000, 'connectTimeoutMs'),
      endTimeoutMs,
      keepaliveIntervalMs: positive(opts.keepaliveIntervalMs, 15_000, 'keepaliveIntervalMs', true),
    });
  }

  try {
    const root = await withTimeout(
      driver.stat(addr.root),
      operationTimeoutMs,
      `endpoint ${addr.redacted}: stat of root timed out`,
    );
    if (root?.kind !== 'dir') {
      throw new TransportError('NOT_FOUND', `endpoint ${addr.redacted}: root folder does not exist`);
    }
  } catch (err) {
    await driver.close();
    if (err instanceof TransportError) throw err;
    throw new TransportError('IO_FAILED', `endpoint ${addr.redacted}: cannot read root folder`, {
      cause: err,
    });
  }
  return new DriverEndpoint(driver, addr.root, addr.redacted, settings);
}

/** Opens the endpoint, runs `work`, and always closes it (close is bounded by endTimeoutMs). */
export async function withEndpoint<T>(
  url: string,
  opts: EndpointOptions,
  work: (ep: Endpoint) => Promise<T>,
): Promise<T> {
  const ep = await openEndpoint(url, opts);
  try {
    return await work(ep);
  } finally {
    await ep.close();
  }
}
