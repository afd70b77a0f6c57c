import { openEndpoint, redactUrl, type Endpoint, type EndpointOptions } from '@dpb/transport';
import type { Env } from '@dpb/platform';

export function transportOptions(env: Env): EndpointOptions {
  return {
    privateKey: env.DPB_SFTP_PRIVATE_KEY_FILE,
    knownHosts: env.DPB_SFTP_KNOWN_HOSTS,
    maxFileBytes: env.DPB_MAX_FILE_BYTES,
    stabilityMs: env.DPB_STABILITY_MS,
    connectTimeoutMs: 15_000,
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
