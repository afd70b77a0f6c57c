import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import {
  FileLedger,
  InputRejected,
  pingDatabase,
  type ApplyResult,
  type FileIdentity,
  type InboundApplier,
  type Problem,
  type ReadFailure,
} from '@dpb/persistence';
import { isTransportError, nameRef, quarantineNameFor, type CandidateFile, type Endpoint, type FileObservation } from '@dpb/transport';
import { ReaderTimeout, failureDetail, isInfrastructureError } from './intake-failures';

export interface IntakeSummary {
  applied: number;
  duplicates: number;
  quarantined: number;
  incomplete: number;
  records: number;
  warnings: string[];
  /** `name` is the file's name, or for a file whose name is unusable the generated name it was
   * quarantined under (the original is only in its `.error.json` and the ledger's error). */
  files: { name: string; sha256: string; outcome: 'APPLIED' | 'DUPLICATE' | 'QUARANTINED' | 'INCOMPLETE'; format?: string; records?: number; rule?: string }[];
}

/** Per-file safety limits of the intake (environment settings, see docs/configuration.md). */
export interface IntakeLimits {
  /** A read of one file (parse, validate, write) that takes longer is aborted. */
  readerTimeoutMs: number;
  /** Reads that failed for an unknown reason (crash or time-out) before the file is quarantined. */
  readerAttempts: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { readerTimeoutMs: 15 * 60_000, readerAttempts: 2 };

/** How long a timed-out reader is given to unwind before its transaction is rolled back. */
const UNWIND_MS = 5_000;

/**
 * Takes every complete file from an inbox exactly once: SHA-256 ledger in Postgres (not BullMQ
 * job ids), data and ledger row in one transaction, then archive (applied or duplicate) or
 * quarantine with an `.error.json` (bad input). Every file ends archived or quarantined with a
 * reason: unusable names, empty files, files over the size limit, rejected content, and readers
 * that keep crashing or timing out. Infrastructure errors propagate so the job retries; bad input
 * never fails the night. File names are untrusted: a name with a problem is never logged.
 */
export async function intakeInbox(args: {
  ds: DataSource;
  endpoint: Endpoint;
  applier: InboundApplier;
  council: string;
  nightDate: string;
  log: Logger;
  limits?: Partial<IntakeLimits>;
}): Promise<IntakeSummary> {
  const summary: IntakeSummary = { applied: 0, duplicates: 0, quarantined: 0, incomplete: 0, records: 0, warnings: [], files: [] };
  const intake = new Intake(args, { ...DEFAULT_INTAKE_LIMITS, ...args.limits }, summary);
  const ep = args.endpoint;
  // One stability wait for the whole inbox, not one per file: a thousand junk files must not
  // hold the night for a thousand waits. Each file is then judged against this first look
  // (unchanged since, and for at least the stability window); a file that arrived during the
  // wait is judged on its own.
  let candidates = await ep.listCandidates();
  const firstLook = new Map<string, FileObservation>();
  if (ep.stabilityMs > 0 && candidates.some((c) => !c.hasDoneMarker && !c.tooLarge)) {
    for (const c of candidates) firstLook.set(c.name, { size: c.size, mtimeMs: c.mtimeMs });
    await delay(ep.stabilityMs);
    candidates = await ep.listCandidates();
  }
  for (const c of candidates) {
    try {
      await intake.take(c, firstLook.get(c.name));
    } catch (e) {
      // Gone between the listing and now (another worker took it): nothing to do.
      if (!isTransportError(e, 'NOT_FOUND')) throw e;
      args.log.info({ source: args.applier.source, file: intake.ref(c) }, 'file vanished from the inbox: skipped');
    }
  }
  return summary;
}

class Intake {
  private readonly ledger = new FileLedger();

  constructor(
    private readonly a: Parameters<typeof intakeInbox>[0],
    private readonly limits: IntakeLimits,
    private readonly summary: IntakeSummary,
  ) {}

  /** How logs, warnings and the summary name a file: its name, or its generated name. */
  ref(c: CandidateFile): string {
    return c.nameProblem ? quarantineNameFor(c.name) : c.name;
  }

  private async quarantine(c: CandidateFile, sha256: string, report: { format?: string | null; problems: Problem[]; hint?: string }, identity?: FileIdentity): Promise<void> {
    const { ds, endpoint: ep, applier } = this.a;
    const body = { file: c.name, sha256: sha256 || undefined, source: applier.source, ...report };
    if (identity) await ds.transaction((m) => this.ledger.recordQuarantine(m, identity, report.format ?? null, body));
    await ep.quarantine(c.name, body);
    const rule = report.problems[0]?.rule;
    this.summary.quarantined++;
    this.summary.files.push({ name: this.ref(c), sha256, outcome: 'QUARANTINED', format: report.format ?? undefined, rule });
    this.summary.warnings.push(`${applier.source}: ${this.ref(c)} quarantined: ${rule ?? 'rejected'}${report.problems.length > 1 ? ` and ${report.problems.length - 1} more problem(s)` : ''}`);
    this.log(c).warn({ sha256, format: report.format, problems: report.problems.length, firstRule: rule }, 'file quarantined');
  }

  private log(c: CandidateFile): Logger {
    return this.a.log.child({ source: this.a.applier.source, file: this.ref(c), ...(c.nameProblem ? { nameRef: nameRef(c.name) } : {}) });
  }

  async take(c: CandidateFile, firstLook: FileObservation | undefined): Promise<void> {
    const { ds, endpoint: ep, applier, council, nightDate } = this.a;
    const summary = this.summary;
    const flog = this.log(c);
    if (c.nameProblem === 'NOT_UTF8') {
      // The listing could only decode the name lossily: the file cannot be opened or moved by it.
      summary.incomplete++;
      summary.files.push({ name: this.ref(c), sha256: '', outcome: 'INCOMPLETE', rule: 'NOT_UTF8_NAME' });
      summary.warnings.push(`ALERT: ${applier.source}: a file whose name is not UTF-8 (${this.ref(c)}) cannot be read: move it out of the inbox by hand`);
      flog.error('file name is not UTF-8: left in the inbox');
      return;
    }
    if (c.tooLarge) {
      flog.warn({ size: c.size }, 'file too large: quarantined unread');
      await this.quarantine(c, '', { problems: [{ rule: 'MAX_FILE_BYTES' }] });
      return;
    }
    const verdict = await ep.checkCompleteness(c.name, firstLook);
    if (!verdict.complete && !(verdict.reason === 'TOO_SMALL' && c.size === 0)) {
      summary.incomplete++;
      summary.files.push({ name: this.ref(c), sha256: '', outcome: 'INCOMPLETE' });
      summary.warnings.push(`${applier.source}: ${this.ref(c)} still being written; left for the next poll`);
      flog.info({ size: c.size, reason: verdict.reason }, 'file not complete yet');
      return;
    }
    if (c.size === 0) {
      await this.quarantine(c, '', { problems: [{ rule: 'EMPTY_FILE' }], hint: 'the sender delivered an empty file: ask for it again' });
      return;
    }
    const sha256 = await ep.sha256(c.name);
    const identity: FileIdentity = { source: applier.source, council, name: this.ref(c), size: c.size, sha256 };
    if (c.nameProblem) {
      await this.quarantine(c, sha256, {
        problems: [{ rule: 'UNSAFE_FILE_NAME', detail: c.nameProblem }],
        hint: 'the file name is unusable; the original name is "file" above (JSON-escaped). Ask the sender for a plain name, or rename the stored file and run: dpbridge retry',
      }, identity);
      return;
    }
    const known = await this.ledger.find(ds.manager, applier.source, sha256);
    if (known?.state === 'APPLIED') {
      await ep.archive(c.name, nightDate);
      summary.duplicates++;
      summary.files.push({ name: c.name, sha256, outcome: 'DUPLICATE', format: known.format ?? undefined });
      flog.info({ sha256, ledgerId: known.id }, 'same bytes already applied: archived without effect');
      return;
    }
    if (known?.state === 'QUARANTINED') {
      await this.quarantine(c, sha256, {
        problems: [{ rule: 'PREVIOUSLY_QUARANTINED' }],
        hint: `these bytes were quarantined before (ledger ${known.id}); fix the sender's file or run: dpbridge retry ${c.name}`,
      });
      return;
    }
    for (;;) {
      // Counted before the read: a read that takes the whole worker down counts too.
      const attempt = await ds.transaction((m) => this.ledger.countReadAttempt(m, identity));
      if (attempt === null) return await this.skipTakenElsewhere(c, sha256);
      const failed = attempt.lastFailure?.count ?? 0;
      // Reads that never came back (the worker died) count too, with one more read of slack.
      const vanished = attempt.attempts - 1 - failed;
      if (failed >= this.limits.readerAttempts || vanished > this.limits.readerAttempts) {
        const last = attempt.lastFailure && failed >= this.limits.readerAttempts
          ? attempt.lastFailure
          : { rule: 'READER_FAILED' as const, detail: `the worker stopped during ${vanished} read(s) of this file` };
        await this.quarantine(c, sha256, {
          problems: [{ rule: last.rule, detail: `${last.detail}; ${failed} read(s) failed` }],
          hint: 'the file could not be read (crash or time-out) and was not retried again; tell the developers, then run: dpbridge retry',
        }, identity);
        return;
      }
      let result: ApplyResult | null;
      try {
        result = await ds.transaction(async (m) => {
          const ledgerId = await this.ledger.claimForApply(m, identity, 'pending');
          if (ledgerId === null) return null;
          const backend = await this.ledger.sessionId(m);
          const r = await withReaderTimeout(
            this.limits.readerTimeoutMs,
            (signal, track) =>
              applier.apply(m, { name: c.name, sha256, size: c.size, ledgerId, council, signal, open: async () => track(await ep.openReadStream(c.name)) }),
            // A reader deaf to the abort must not write after the rollback: end its session.
            () => this.ledger.endSession(ds.manager, backend),
          );
          await this.ledger.setOutcome(m, ledgerId, r.format, r.records);
          return r;
        });
      } catch (e) {
        if (e instanceof InputRejected) {
          await this.quarantine(c, sha256, { format: e.format, problems: e.problems }, identity);
          return;
        }
        if (isTransportError(e, 'TOO_LARGE')) {
          await this.quarantine(c, sha256, { problems: [{ rule: 'MAX_FILE_BYTES' }] }, identity);
          return;
        }
        if (isInfrastructureError(e) || !(await databaseAnswers(ds))) {
          // Not the file's fault: take the read back (best effort: the database may be down).
          await ds.transaction((m) => this.ledger.uncountReadAttempt(m, applier.source, sha256)).catch(() => undefined);
          throw e;
        }
        const failure: Omit<ReadFailure, 'count'> = { rule: e instanceof ReaderTimeout ? 'READER_TIMEOUT' : 'READER_FAILED', detail: failureDetail(e) };
        flog.error({ sha256, attempt: attempt.attempts, rule: failure.rule, error: failure.detail }, 'reading the file failed');
        await ds.transaction((m) => this.ledger.recordReadFailure(m, applier.source, sha256, failure));
        continue;
      }
      if (result === null) return await this.skipTakenElsewhere(c, sha256);
      await ep.archive(c.name, nightDate);
      summary.applied++;
      summary.records += result.records;
      summary.warnings.push(...(result.warnings ?? []).map((w) => `${applier.source}: ${c.name}: ${w}`));
      summary.files.push({ name: c.name, sha256, outcome: 'APPLIED', format: result.format, records: result.records });
      flog.info({ sha256, format: result.format, records: result.records, counts: result.counts }, 'file applied');
      return;
    }
  }

  private async skipTakenElsewhere(c: CandidateFile, sha256: string): Promise<void> {
    // Another worker holds or has just committed these bytes. Only bytes the ledger shows as
    // applied are a duplicate: bytes still being applied elsewhere (whose transaction may yet
    // roll back) are not "nothing to do", so this stage fails and is retried.
    if ((await this.ledger.find(this.a.ds.manager, this.a.applier.source, sha256))?.state !== 'APPLIED') {
      throw new Error(`${this.a.applier.source} file ${sha256.slice(0, 12)} is being applied by another worker: retry`);
    }
    this.summary.duplicates++;
    this.summary.files.push({ name: c.name, sha256, outcome: 'DUPLICATE' });
    this.log(c).info({ sha256 }, 'same bytes are being applied elsewhere: skipped');
  }
}

/** After an unknown error: is it the file, or is the database gone? A few tries: the pool may
 * first hand out a connection that died with the failed read. */
async function databaseAnswers(ds: DataSource): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    if (await pingDatabase(ds)) return true;
    await delay(200);
  }
  return false;
}

/**
 * Runs one read under the per-file time-out. On expiry the read's streams are destroyed and its
 * signal aborted, and it is given a moment to unwind; a read still running then gets `onStuck`
 * (the intake ends its database session, so nothing it does later can be written) before
 * ReaderTimeout is thrown.
 */
export async function withReaderTimeout<T>(
  ms: number,
  work: (signal: AbortSignal, track: (s: Readable) => Readable) => Promise<T>,
  onStuck?: () => Promise<unknown>,
): Promise<T> {
  const ac = new AbortController();
  const streams = new Set<Readable>();
  const track = (s: Readable): Readable => {
    streams.add(s);
    // Destroying a stream nobody listens to would crash the worker with an unhandled 'error'.
    s.on('error', () => undefined);
    if (ac.signal.aborted) s.destroy(ac.signal.reason as Error);
    return s;
  };
  const running = work(ac.signal, track);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReaderTimeout(ms)), ms);
  });
  try {
    return await Promise.race([running, expired]);
  } catch (e) {
    if (e instanceof ReaderTimeout) {
      ac.abort(e);
      for (const s of streams) s.destroy(e);
      const settled = await Promise.race([running.then(() => true, () => true), delay(UNWIND_MS).then(() => false)]);
      if (!settled && onStuck) await onStuck().catch(() => undefined);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
