/**
 * When is an inbound file complete? Pure rules, no I/O and no clock: times are passed in.
 *
 * - the sender's `<name>.done` marker is present -> complete;
 * - otherwise the size and mtime must be unchanged since an earlier observation made at least
 *   `stabilityMs` ago (0 allowed: then "unchanged since the previous poll" is enough);
 * - a file smaller than `minBytes` (default 1: an empty file may be a sender that has only
 *   created it) is never complete without a marker; once it is stable the verdict is TOO_SMALL
 *   (the intake quarantines a stable empty file).
 */
export interface FileObservation {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ObservedFile extends FileObservation {
  readonly name: string;
  readonly hasDoneMarker: boolean;
}

export interface CompletenessPolicy {
  readonly stabilityMs: number;
  readonly minBytes?: number;
}

export type CompletenessReason =
  | 'DONE_MARKER' // sender's marker present
  | 'STABLE' // unchanged for at least stabilityMs
  | 'FIRST_SEEN' // no earlier observation to compare with
  | 'CHANGED' // size or mtime differs from the earlier observation
  | 'NOT_STABLE_LONG_ENOUGH' // unchanged, but observed for less than stabilityMs
  | 'TOO_SMALL'; // stable, but below minBytes, and no marker

export interface CompletenessVerdict {
  readonly name: string;
  readonly complete: boolean;
  readonly reason: CompletenessReason;
}

/** A remembered observation: what was seen, and since when it has been unchanged. */
export interface StableObservation extends FileObservation {
  readonly stableSinceMs: number;
}

export type TrackerSnapshot = Readonly<Record<string, StableObservation>>;

export function sameObservation(a: FileObservation, b: FileObservation): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Judges one file. `previous` is the earlier observation (or undefined on first sight); `nowMs`
 * is when `current` was observed.
 */
export function judgeCompleteness(
  current: ObservedFile,
  previous: StableObservation | undefined,
  nowMs: number,
  policy: CompletenessPolicy,
): CompletenessVerdict {
  const name = current.name;
  if (current.hasDoneMarker) return { name, complete: true, reason: 'DONE_MARKER' };
  if (previous === undefined) return { name, complete: false, reason: 'FIRST_SEEN' };
  if (!sameObservation(current, previous)) return { name, complete: false, reason: 'CHANGED' };
  if (nowMs - previous.stableSinceMs < policy.stabilityMs) {
    return { name, complete: false, reason: 'NOT_STABLE_LONG_ENOUGH' };
  }
  // Stable, but too small: the intake quarantines a stable empty file (EMPTY_FILE).
  if (current.size < (policy.minBytes ?? 1)) return { name, complete: false, reason: 'TOO_SMALL' };
  return { name, complete: true, reason: 'STABLE' };
}

/**
 * Remembers the last observation of each file across polls. Feed it each poll's listing with the
 * poll time; it answers "complete" only for files unchanged since an earlier poll (or marked done).
 * Files that disappear from the listing are forgotten. `snapshot()` lets a caller keep the state
 * between processes (e.g. in the database) and restore it with the constructor.
 */
export class CompletenessTracker {
  private readonly seen = new Map<string, StableObservation>();

  constructor(
    private readonly policy: CompletenessPolicy,
    snapshot?: TrackerSnapshot,
  ) {
    if (!(policy.stabilityMs >= 0)) throw new RangeError('stabilityMs must be >= 0');
    for (const [name, obs] of Object.entries(snapshot ?? {})) this.seen.set(name, obs);
  }

  observe(files: readonly ObservedFile[], atMs: number): CompletenessVerdict[] {
    const verdicts: CompletenessVerdict[] = [];
    const present = new Set<string>();
    for (const file of files) {
      present.add(file.name);
      const previous = this.seen.get(file.name);
      verdicts.push(judgeCompleteness(file, previous, atMs, this.policy));
      if (previous === undefined || !sameObservation(file, previous)) {
        this.seen.set(file.name, { size: file.size, mtimeMs: file.mtimeMs, stableSinceMs: atMs });
      }
    }
    for (const name of [...this.seen.keys()]) if (!present.has(name)) this.seen.delete(name);
    return verdicts;
  }

  /** Stops tracking a file (e.g. once it has been archived or quarantined). */
  forget(name: string): void {
    this.seen.delete(name);
  }

  snapshot(): TrackerSnapshot {
    return Object.fromEntries(this.seen);
  }
}
