import { openEndpoint, redactUrl, type Endpoint, type EndpointOptions } from '@dpb/transport';
import type { Env } from '@dpb/platform';
import type { ReaderLimits } from '@dpb/care-records/readers/limits';
import type { IntakeLimits } from './intake';

export function transportOptions(env: Env): EndpointOptions {
  return {
    privateKey: env.DPB_SFTP_PRIVATE_KEY_FILE,
    knownHosts: env.DPB_SFTP_KNOWN_HOSTS,
    maxFileBytes: env.DPB_MAX_FILE_BYTES,
    stabilityMs: env.DPB_STABILITY_MS,
    maxNameBytes: env.DPB_INBOUND_MAX_NAME_BYTES,
    connectTimeoutMs: 15_000,
  };
}

/** The intake's per-file limits from the environment. */
export function intakeLimits(env: Env): IntakeLimits {
  return { readerTimeoutMs: env.DPB_READER_TIMEOUT_MS, readerAttempts: env.DPB_READER_ATTEMPTS };
}

/** The care-record readers' limits from the environment. */
export function careReaderLimits(env: Env): ReaderLimits {
  return {
    zipMaxEntries: env.DPB_ZIP_MAX_ENTRIES,
    zipMaxInflatedBytes: env.DPB_ZIP_MAX_INFLATED_BYTES,
    zipMaxRatio: env.DPB_ZIP_MAX_RATIO,
    xmlMaxDepth: env.DPB_XML_MAX_DEPTH,
    xmlMaxFieldChars: env.DPB_XML_MAX_FIELD_CHARS,
    csvMaxFieldChars: env.DPB_CSV_MAX_FIELD_CHARS,
  };
}

/** One connection per job: open, run, always close. */
export async function withEndpoint<T>(url: string, env: Env, work: (ep: Endpoint) => Promise<T>): Promise<T> {
  const ep = await openEndpoint(url, transportOptions(env));
  try {
    return await work(ep);
  } finally {
    await ep.close();
  }
}

/** Readiness probe: can we connect (host key pinned) and list the folder? */
export async function probeEndpoint(url: string, env: Env): Promise<{ endpoint: string; ok: boolean }> {
  try {
    await withEndpoint(url, { ...env, DPB_STABILITY_MS: 0 }, (ep) => ep.listCandidates());
    return { endpoint: redactUrl(url), ok: true };
  } catch {
    return { endpoint: redactUrl(url), ok: false };
  }
}
