import { createHash } from 'node:crypto';
import { TransportError } from './errors';

/** Pinned host keys: `host:port` (host lower-case) -> `SHA256:<base64 without padding>`. */
export type KnownHosts = ReadonlyMap<string, string>;

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export function knownHostKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

/**
 * Parses `"host:port SHA256:xxx,host2:22 SHA256:yyy"` (entries separated by commas, semicolons or
 * new lines; host and fingerprint by white space). The fingerprint is what `ssh-keygen -lf key.pub`
 * prints: `SHA256:` then the unpadded base64 of the SHA-256 of the key blob. A malformed entry is
 * refused (a typo must not silently unpin a host).
 */
export function parseKnownHosts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const entries = text
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'));
  entries.forEach((entry, i) => {
    const parts = entry.split(/\s+/);
    if (parts.length !== 2) {
      throw new TransportError(
        'INVALID_CONFIG',
        `known hosts entry ${i + 1}: expected "host:port SHA256:fingerprint"`,
      );
    }
    const [hostPort, fp] = parts as [string, string];
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(hostPort);
    if (!m) {
      throw new TransportError(
        'INVALID_CONFIG',
        `known hosts entry ${i + 1}: host must be written host:port`,
      );
    }
    const port = Number(m[2]);
    if (port < 1 || port > 65535) {
      throw new TransportError('INVALID_CONFIG', `known hosts entry ${i + 1}: port is out of range`);
    }
    const fingerprint = fp.replace(/=+$/, '');
    if (!FINGERPRINT.test(fingerprint)) {
      throw new TransportError(
        'INVALID_URL',
        `known hosts entry ${i + 1}: fingerprint must be SHA256: followed by 43 base64 characters`,
      );
    }
    const key = knownHostKey(m[1] as string, port);
    const previous = out.get(key);
    if (previous !== undefined && previous !== fingerprint) {
      throw new TransportError(
        'INVALID_CONFIG',
        `known hosts entry ${i + 1}: ${key} is pinned twice with different keys`,
      );
    }
    out.set(key, fingerprint);
  });
  return out;
}

/** `SHA256:` + unpadded base64 of sha256(raw public key blob), as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(rawKey: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '');
}

export type HostKeyCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'UNKNOWN_HOST' | 'KEY_MISMATCH' };

/** Pure check of an offered host key against the pins. */
export function checkHostKey(
  knownHosts: KnownHosts,
  host: string,
  port: number,
  rawKey: Buffer,
): HostKeyCheck {
  const pinned = knownHosts.get(knownHostKey(host, port));
  if (pinned === undefined) return { ok: false, reason: 'UNKNOWN_HOST' };
  return hostKeyFingerprint(rawKey) === pinned ? { ok: true } : { ok: false, reason: 'KEY_MISMATCH' };
}
