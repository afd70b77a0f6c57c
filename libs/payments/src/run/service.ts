/**
 * A payment run for one council and run date: plan, store and build the files in one
 * transaction (serialised per council), then deliver. The files and the manifest are always built
 * from what the database holds for the run, so a re-run after a crash (or a second worker) builds
 * byte-identical files and delivery finds them ALREADY_DELIVERED.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { BacsCalendar, sha256Hex, type Pence } from '@dpb/common';
import type { CouncilSettings } from '../rules';
import type { CardLoad, Credit, CreditLine, PaymentRunFilesInput, WrittenFile } from '../files/model';
import { verifyFilesInThread, verifyFilesOffThread, writeRunFiles, type FileCheck } from '../files';
import { buildManifest, manifestFileName, manifestHead, serialiseManifest, type Manifest, type ManifestLineIn } from './manifest';
import { loadRunInput } from './load';
import { planRun } from './plan';
import { storePlan } from './store';

export type RunState = 'HELD' | 'AWAITING_APPROVAL' | 'RELEASED' | 'DELIVERED';

export interface RunOutputs {
  runId: string;
  state: RunState;
  /** Files to deliver: finance outbox (posting, payment) and card outbox (card loads). */
  financeFiles: WrittenFile[];
  cardFiles: WrittenFile[];
  manifest: Manifest;
  manifestName: string;
  manifestBytes: Buffer;
}

export interface RunSummary {
  runId: string;
  created: boolean;
  state: RunState;
  lines: number;
  heldLines: number;
  credits: number;
  payablePence: Pence;
  heldPence: Pence;
  recoveries: number;
  runHoldReasons: string[];
}

export function runIdFor(council: string, runDate: string, sequence = 1): string {
  return `${council}-${runDate.replace(/-/g, '')}-${sequence}`;
}

/** Milliseconds of the steps of building a run's files (for the benchmark and the log). */
export interface FileTimings {
  readMs?: number;
  writeMs?: number;
  manifestMs?: number;
  storeManifestMs?: number;
  awaitCheckMs?: number;
}

/** Files of at least this many bytes in all are re-read on a worker thread (below, a worker costs more than it saves). */
const OFF_THREAD_BYTES = 8 * 1024 * 1024;

const RUN_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('payment-run:' || $1, 0))`;

/**
 * Creates the council's run for `runDate` if it does not exist yet. Two workers running this at
 * once serialise on a transaction advisory lock; the second finds the run and creates nothing.
 */
export async function createPaymentRun(
  ds: DataSource,
  args: {
    council: string;
    runDate: string;
    settings: CouncilSettings;
    calendar?: BacsCalendar;
    /** Phase durations, for the benchmark and the log. */
    onTimings?: (t: { loadMs: number; planMs: number; storeMs: number; filesMs: number; files: FileTimings }) => void;
  },
): Promise<RunSummary> {
  const calendar = args.calendar ?? BacsCalendar.bundled();
  const runId = runIdFor(args.council, args.runDate);
  return ds.transaction(async (m) => {
    await m.query(RUN_LOCK_SQL, [args.council]);
    const existing: { state: RunState }[] = await m.query(`SELECT state FROM payment_run WHERE run_id = $1`, [runId]);
    if (existing.length) return { ...(await summariseRun(m, runId)), created: false };
    const t0 = Date.now();
    const { t1, t2 } = await planAndStore(m, { ...args, runId, calendar });
    const t3 = Date.now();
    // The manifest is stored and the run summarised while the files' re-read check finishes; the
    // transaction commits only after it passed (a failure rolls everything back).
    const files: FileTimings = {};
    const { outputs, verified } = await buildRunOutputsChecking(m, runId, args.settings, calendar, {}, files);
    let lap = Date.now();
    await m.query(`UPDATE payment_run SET manifest = $2, manifest_bytes = $3 WHERE run_id = $1`, [runId, JSON.stringify(manifestHead(outputs.manifest)), outputs.manifestBytes]);
    const summary = await summariseRun(m, runId);
    files.storeManifestMs = Date.now() - lap;
    lap = Date.now();
    await verified;
    files.awaitCheckMs = Date.now() - lap;
    args.onTimings?.({ loadMs: t1 - t0, planMs: t2 - t1, storeMs: t3 - t2, filesMs: Date.now() - t3, files });
    return { ...summary, created: true };
  });
}

/**
 * Loads, plans and stores the run. Its own scope, so that the loaded input and the plan (hundreds
 * of megabytes for a large council) can be collected before the files are built.
 */
async function planAndStore(
  m: EntityManager,
  args: { council: string; runId: string; runDate: string; settings: CouncilSettings; calendar: BacsCalendar },
): Promise<{ t1: number; t2: number }> {
  const input = await loadRunInput(m, args);
  const t1 = Date.now();
  const plan = planRun(input);
  const t2 = Date.now();
  const holdReasons = plan.runHold.checks.filter((c) => c.exceeded).map((c) => `RUN_CHANGE_PCT:${c.frequency}`);
  const state = holdReasons.length ? 'HELD' : args.settings.releaseMode === 'authorise' ? 'AWAITING_APPROVAL' : 'RELEASED';
  await storePlan(m, { runId: args.runId, council: args.council, runDate: args.runDate, sequence: 1, state, holdReasons }, plan, input.dps);
  return { t1, t2 };
}

async function summariseRun(m: EntityManager, runId: string): Promise<Omit<RunSummary, 'created'>> {
  const [r]: { state: RunState; hold_reasons: string[] }[] = await m.query(`SELECT state, hold_reasons FROM payment_run WHERE run_id = $1`, [runId]);
  const [l]: { lines: number; held: number; payable: string; held_pence: string }[] = await m.query(
    `SELECT count(*)::int AS lines,
            count(*) FILTER (WHERE released_run_id IS DISTINCT FROM $1)::int AS held,
            coalesce(sum(payable_pence) FILTER (WHERE released_run_id = $1), 0) AS payable,
            coalesce(sum(payable_pence) FILTER (WHERE released_run_id IS DISTINCT FROM $1), 0) AS held_pence
       FROM payment_line WHERE run_id = $1 OR released_run_id = $1`,
    [runId],
  );
  const [c]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM credit WHERE run_id = $1`, [runId]);
  const [rec]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM recovery_proposal WHERE run_id = $1`, [runId]);
  return {
    runId,
    state: r.state,
    lines: l.lines,
    heldLines: l.held,
    credits: c.n,
    payablePence: BigInt(l.payable),
    heldPence: BigInt(l.held_pence),
    recoveries: rec.n,
    runHoldReasons: r.hold_reasons,
  };
}

/**
 * Builds the run's files and manifest from the database, and (unless `verify: false`, for bytes
 * whose SHA-256 the caller checks against a manifest made from verified files) re-reads each file
 * and compares its records, total and references with the credits. A run that is HELD or awaiting approval
 * gets a manifest but no payment files (and its manifest is named `<runId>.held.manifest.json`,
 * so the final one can follow under the contract's name once it is released).
 */
export async function buildRunOutputs(
  m: EntityManager,
  runId: string,
  settings: CouncilSettings,
  calendar: BacsCalendar,
  options: { verify?: boolean } = {},
): Promise<RunOutputs> {
  const { outputs, verified } = await buildRunOutputsChecking(m, runId, settings, calendar, options);
  await verified;
  return outputs;
}

/**
 * buildRunOutputs whose re-read check may still be running: `verified` rejects if a file failed
 * it. The caller must await `verified` before it delivers, stores or commits anything built here.
 */
async function buildRunOutputsChecking(
  m: EntityManager,
  runId: string,
  settings: CouncilSettings,
  calendar: BacsCalendar,
  options: { verify?: boolean },
  timings: FileTimings = {},
): Promise<{ outputs: RunOutputs; verified: Promise<void> }> {
  let lap = Date.now();
  const step = (k: keyof FileTimings): void => {
    const now = Date.now();
    timings[k] = now - lap;
    lap = now;
  };
  const [run]: { council: string; run_date: string; sequence: number; state: RunState }[] = await m.query(
    `SELECT council, run_date, sequence, state FROM payment_run WHERE run_id = $1`,
    [runId],
  );
  if (!run) throw new Error(`run ${runId} not found`);
  const released = run.state === 'RELEASED' || run.state === 'DELIVERED';

  const creditRows: {
    id: string; payee_id: string; channel: 'BANK' | 'CARD'; vendor_no: string; sort_code: string; account_number: string;
    account_name: string; card_provider: string | null; card_account_ref: string | null; payment_ref: string; end_to_end_id: string; amount_pence: string;
  }[] = await m.query(`SELECT * FROM credit WHERE run_id = $1 ORDER BY payment_ref`, [runId]);
  const lineRows: {
    id: string; dp_id: string; person_id: string; payee_id: string; kind: CreditLine['kind']; period_start: string; period_end: string;
    cost_centre: string; gl_account: string; gross_pence: string; contribution_pence: string; payable_pence: string;
    state: string; hold_reasons: string[]; credit_id: string | null; run_id: string; released_run_id: string | null;
  }[] = await m.query(
    `SELECT id, dp_id, person_id, payee_id, kind, period_start, period_end, cost_centre, gl_account, gross_pence,
            contribution_pence, payable_pence, state, hold_reasons, credit_id, run_id, released_run_id
       FROM payment_line WHERE run_id = $1 OR released_run_id = $1`,
    [runId],
  );
  const offsetRows: { credit_id: string; dp_id: string; period_start: string; period_end: string; cost_centre: string; gl_account: string; amount_pence: string }[] =
    await m.query(`SELECT o.* FROM credit_offset o JOIN credit c ON c.id = o.credit_id WHERE c.run_id = $1 ORDER BY o.credit_id, o.dp_id`, [runId]);
  const linesByCredit = groupBy(lineRows.filter((l) => l.credit_id !== null && BigInt(l.payable_pence) > 0n), (l) => l.credit_id!);
  const offsetsByCredit = groupBy(offsetRows, (o) => o.credit_id);
  const credits: Credit[] = creditRows.map((c) => ({
    paymentRef: c.payment_ref,
    endToEndId: c.end_to_end_id,
    payeeId: c.payee_id,
    vendorNo: c.vendor_no,
    sortCode: c.sort_code,
    accountNumber: c.account_number,
    accountName: c.account_name,
    amountPence: BigInt(c.amount_pence),
    lines: [
      ...(linesByCredit.get(c.id) ?? [])
        .sort(compareLineRows)
        .map((l) => ({ dpId: l.dp_id, kind: l.kind, periodStart: l.period_start, periodEnd: l.period_end, costCentre: l.cost_centre, glAccount: l.gl_account, payablePence: BigInt(l.payable_pence) })),
      ...(offsetsByCredit.get(c.id) ?? []).map((o) => ({
        dpId: o.dp_id, kind: 'ADJUSTMENT' as const, periodStart: o.period_start, periodEnd: o.period_end, costCentre: o.cost_centre, glAccount: o.gl_account, payablePence: BigInt(o.amount_pence),
      })),
    ],
  }));
  const cardLoads: CardLoad[] = creditRows
    .filter((c) => c.channel === 'CARD')
    .map((c) => ({ provider: c.card_provider ?? '', accountRef: c.card_account_ref ?? '', payeeId: c.payee_id, amountPence: BigInt(c.amount_pence), reference: c.payment_ref }))
    .sort((a, b) => (a.provider !== b.provider ? (a.provider < b.provider ? -1 : 1) : a.accountRef < b.accountRef ? -1 : a.accountRef > b.accountRef ? 1 : 0));

  step('readMs');
  const processingDate = calendar.processingDay(run.run_date);
  const input: PaymentRunFilesInput = {
    runId,
    council: run.council,
    runDate: run.run_date,
    processingDate,
    entryDate: calendar.entryDay(run.run_date),
    sequence: run.sequence,
    settings: {
      council: run.council,
      sapCompanyCode: settings.finance.sapCompanyCode,
      sapDocTypePayment: settings.finance.sapDocTypePayment,
      currency: 'GBP',
      bacsServiceUserNumber: settings.finance.bacsServiceUserNumber,
      originatorName: settings.finance.originatorName,
      originatingSortCode: settings.finance.originatingSortCode,
      originatingAccountNumber: settings.finance.originatingAccountNumber,
      originatingAccountName: settings.finance.originatingAccountName,
      debtorName: settings.finance.debtorName,
    },
    credits,
    cardLoads,
  };
  const files = released ? writeRunFiles(input, { postingFormat: settings.finance.postingFormat, paymentFormat: settings.finance.paymentFormat }) : { all: [], cardLoads: [] as WrittenFile[] };
  const checks: FileCheck[] = (options.verify === false ? [] : files.all).map((f) => {
    const card = f.name.includes('_CARDLOAD_');
    const mine = card ? cardLoads.filter((c) => f.name.endsWith(`_CARDLOAD_${c.provider}.csv`)) : [];
    const expected = card
      ? { records: mine.length, totalPence: sumOf(mine.map((c) => c.amountPence)) }
      : { records: credits.length, totalPence: sumOf(credits.map((c) => c.amountPence)), refs: credits.map((c) => c.paymentRef) };
    return { file: f, expected };
  });
  step('writeMs');
  // Large files are re-read on a worker thread while this one builds the manifest.
  const bytes = checks.reduce((t, c) => t + c.file.content.length, 0);
  const verdicts = bytes >= OFF_THREAD_BYTES ? verifyFilesOffThread(checks) : Promise.resolve(verifyFilesInThread(checks));
  verdicts.catch(() => undefined); // awaited below; not unhandled if the manifest step throws first

  const creditById = new Map(creditRows.map((c) => [c.id, c]));
  const recoveries: { dp_id: string; reason: string; period_start: string; period_end: string; amount_pence: string }[] = await m.query(
    `SELECT dp_id, reason, period_start, period_end, amount_pence FROM recovery_proposal WHERE run_id = $1`,
    [runId],
  );
  const manifestLines: ManifestLineIn[] = lineRows.map((l) => {
    const credit = l.credit_id ? creditById.get(l.credit_id) : undefined;
    return {
      dpId: l.dp_id,
      personId: l.person_id,
      payeeId: l.payee_id,
      kind: l.kind,
      periodStart: l.period_start,
      periodEnd: l.period_end,
      grossPence: BigInt(l.gross_pence),
      contributionPence: BigInt(l.contribution_pence),
      payablePence: BigInt(l.payable_pence),
      // Held in this run unless this run paid it (a later officer decision does not rewrite history).
      held: l.released_run_id !== runId,
      holdReasons: l.hold_reasons,
      paymentRef: credit?.payment_ref ?? null,
      endToEndId: credit?.end_to_end_id ?? null,
    };
  });
  const manifest = buildManifest({
    runId,
    council: run.council,
    runDate: run.run_date,
    held: !released,
    files: files.all.map((f) => ({ name: f.name, sha256: sha256Hex(f.content), records: f.records, totalPence: f.totalPence })),
    lines: manifestLines,
    recoveries: recoveries.map((r) => ({ dpId: r.dp_id, reason: r.reason, periodStart: r.period_start, periodEnd: r.period_end, amountPence: BigInt(r.amount_pence) })),
  });
  const manifestBytes = serialiseManifest(manifest);
  step('manifestMs');
  const verified = verdicts.then((all) => {
    for (const v of all) {
      if (!v.ok) throw new Error(`run ${runId}: file ${v.name} failed its re-read check: ${v.problems.join('; ')}`);
    }
  });
  verified.catch(() => undefined); // the caller awaits it
  const manifestName = released ? manifestFileName(runId) : `${runId}.held.manifest.json`;
  const outputs: RunOutputs = {
    runId,
    state: run.state,
    financeFiles: files.all.filter((f) => !f.name.includes('_CARDLOAD_')),
    cardFiles: files.cardLoads,
    manifest,
    manifestName,
    manifestBytes,
  };
  return { outputs, verified };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

function sumOf(values: Pence[]): Pence {
  return values.reduce((t, v) => t + v, 0n);
}

function compareLineRows(a: { dp_id: string; period_start: string; kind: string }, b: { dp_id: string; period_start: string; kind: string }): number {
  if (a.dp_id !== b.dp_id) return a.dp_id < b.dp_id ? -1 : 1;
  if (a.period_start !== b.period_start) return a.period_start < b.period_start ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

