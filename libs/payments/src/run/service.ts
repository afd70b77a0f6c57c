/**
 * A payment run for one council and run date: plan, store and build the files in one transaction
 * (serialised per council), then deliver. When the run is created its files are written from the
 * plan (for a large run on a worker thread, while this thread stores the plan) and its manifest
 * records their SHA-256. Delivery rebuilds the files from what the database holds, through the same
 * `filesInputOf`, and delivers nothing unless they equal the manifest's hashes: stored rows and
 * delivered bytes cannot drift apart. A re-run after a crash (or a second worker) builds
 * byte-identical files and delivery finds them ALREADY_DELIVERED.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { lockCouncil } from '@dpb/persistence';
import { BacsCalendar, timed, type Pence } from '@dpb/common';
import type { CouncilSettings } from '../rules';
import type { RecoveryDeduction } from '../rules/recovery-offset';
import type { CardLoad, Credit, CreditLine, PaymentRunFilesInput, WrittenFile } from '../files/model';
import { isCardLoadFile, writeCheckedRunFiles, type CheckedRunFiles, type FileVerdict } from '../files';
import {
  draftManifest, manifestFileEntries, manifestFileName, manifestHead, type Manifest, type ManifestLineIn, type ManifestRecoveryIn,
} from './manifest';
import { loadRunInput, periodGrid } from './load';
import { deductionsOfRun } from '@dpb/cases/recovery.repository';
import { planRun } from './plan';
import {
  creditOffsetsOfRun, creditsOfRun, linesOfRun, linesReleasedIntoRun, recoveryProposalsOfRun, runHeader, runStateOf, runTotals, setRunManifest, storePlan,
  type RunLineRow, type RunState,
} from './payment-run.repository';

export type { RunState } from './payment-run.repository';

/** A released (or delivered) run has payment files; a held one, or one awaiting approval, only a manifest. */
export function isReleasedState(state: RunState): boolean {
  return state === 'RELEASED' || state === 'DELIVERED';
}

/** A run's files as built from the database, checked (unless asked not to) and hashed. */
export interface BuiltRunFiles {
  runId: string;
  state: RunState;
  /** Files to deliver: finance outbox (posting, payment) and card outbox (card loads). */
  financeFiles: WrittenFile[];
  cardFiles: WrittenFile[];
  /** The manifest's `files` entries for these files (what delivery compares with the stored manifest). */
  manifestFiles: Manifest['files'];
  manifestName: string;
}

export interface RunOutputs extends BuiltRunFiles {
  manifest: Manifest;
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

/** Milliseconds of the steps that build, check and store the files and the manifest (for the benchmark and the log). */
export interface FileTimings {
  /** Writing and hashing the files, and re-reading them (for a large run on a worker thread, while the run was stored). */
  writeMs?: number;
  checkMs?: number;
  /** Waiting for them after the store. */
  awaitFilesMs?: number;
  manifestMs?: number;
  storeManifestMs?: number;
}

export interface RunTimings {
  loadMs: number;
  planMs: number;
  /** Storing the plan; for a large run the files are written and checked meanwhile. */
  storeMs: number;
  filesMs: number;
  files: FileTimings;
}

const NO_FILES: CheckedRunFiles = { all: [], cardLoads: [], verdicts: [], timings: { writeMs: 0, checkMs: 0 } };

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
    /** Write the files on a worker thread (default: writeCheckedRunFiles decides by the run's size). */
    filesOffThread?: boolean;
    /** Walk every period since go-live for every DP, ignoring the previous run's horizon (load.ts). */
    walkFromGoLive?: boolean;
    /** Phase durations, for the benchmark and the log. */
    onTimings?: (t: RunTimings) => void;
  },
): Promise<RunSummary> {
  const calendar = args.calendar ?? BacsCalendar.bundled();
  const runId = runIdFor(args.council, args.runDate);
  return ds.transaction(async (m) => {
    await lockCouncil(m, 'payment-run', args.council);
    if ((await runStateOf(m, runId)) !== null) return { ...(await summariseRun(m, runId)), created: false };
    const t: RunTimings = { loadMs: 0, planMs: 0, storeMs: 0, filesMs: 0, files: {} };
    const stored = await planAndStore(m, { ...args, runId, calendar }, t);
    const summary = await timed(t, 'filesMs', async () => {
      const draft = await timed(t.files, 'manifestMs', async () => {
        // Lines an officer released since the last run, as the store left them.
        const officerLines = (await linesReleasedIntoRun(m, runId)).map((l) => manifestLineOf(l, runId, stored.creditRefs.get(l.credit_id ?? '')));
        // The manifest's lines are serialised while a large run's files may still be being written.
        return draftManifest({ runId, council: stored.run.council, runDate: stored.run.runDate, held: !isReleasedState(stored.run.state), lines: [...stored.lines, ...officerLines], recoveries: stored.recoveries, deductions: stored.deductions });
      });
      const written = await timed(t.files, 'awaitFilesMs', async () => {
        const w = await stored.files;
        assertChecked(runId, w.verdicts);
        return w;
      });
      t.files.writeMs = written.timings.writeMs;
      t.files.checkMs = written.timings.checkMs;
      return timed(t.files, 'storeManifestMs', async () => {
        const { manifest, manifestBytes } = draft.withFiles(written.all);
        await setRunManifest(m, runId, JSON.stringify(manifestHead(manifest)), manifestBytes);
        return summariseRun(m, runId);
      });
    });
    args.onTimings?.(t);
    return { ...summary, created: true };
  });
}

/**
 * Loads, plans and stores the run, and starts writing its files from the plan (for a large run on
 * a worker thread, while this thread stores). Its own scope, so that the loaded input and the plan
 * (hundreds of megabytes for a large council) can be collected once stored. Records the load, plan
 * and store durations in `t`.
 */
async function planAndStore(
  m: EntityManager,
  args: { council: string; runId: string; runDate: string; settings: CouncilSettings; calendar: BacsCalendar; filesOffThread?: boolean; walkFromGoLive?: boolean },
  t: RunTimings,
): Promise<{
  run: RunHeader;
  files: Promise<CheckedRunFiles>;
  lines: ManifestLineIn[];
  recoveries: ManifestRecoveryIn[];
  deductions: RecoveryDeduction[];
  /** Payment reference and end-to-end id by stored credit id. */
  creditRefs: Map<string, CreditRefs>;
}> {
  const input = await timed(t, 'loadMs', () => loadRunInput(m, args));
  const plan = timed(t, 'planMs', () => planRun(input));
  return timed(t, 'storeMs', async () => {
    const holdReasons = plan.runHold.checks.filter((c) => c.exceeded).map((c) => `RUN_CHANGE_PCT:${c.frequency}`);
    const state = holdReasons.length ? 'HELD' : args.settings.releaseMode === 'authorise' ? 'AWAITING_APPROVAL' : 'RELEASED';
    const run: RunHeader = { council: args.council, runDate: args.runDate, sequence: 1, state };
    // A held run, or one awaiting approval, gets a manifest but no payment files yet.
    const stop = new AbortController();
    const files = isReleasedState(state)
      ? writeFiles(filesInputOf(args.runId, run, plan.credits.map((c) => ({ ...c, lines: c.fileLines })), args.settings, args.calendar), args.settings, {
          verify: true,
          offThread: args.filesOffThread,
          signal: stop.signal,
        })
      : Promise.resolve(NO_FILES);
    files.catch(() => undefined); // awaited by the caller; not unhandled if the store throws first
    let creditIds: Map<number, string>;
    try {
      creditIds = await storePlan(
        m,
        { runId: args.runId, council: args.council, runDate: args.runDate, sequence: 1, state, holdReasons, periodGrid: periodGrid(args.settings) },
        plan,
        input.dps,
      );
    } catch (e) {
      stop.abort(); // the run rolls back: its files are not needed
      throw e;
    }
    const creditByIndex = new Map(plan.credits.map((c) => [c.index, c]));
    const lines = plan.lines.map((l): ManifestLineIn => {
      const credit = l.creditIndex ? creditByIndex.get(l.creditIndex) : undefined;
      return {
        dpId: l.dpId, personId: l.personId, payeeId: l.payeeId, kind: l.kind, periodStart: l.periodStart, periodEnd: l.periodEnd,
        grossPence: l.grossPence, contributionPence: l.contributionPence, payablePence: l.payablePence,
        held: l.holdReasons.length > 0, holdReasons: l.holdReasons,
        paymentRef: credit?.paymentRef ?? null, endToEndId: credit?.endToEndId ?? null,
      };
    });
    const creditRefs = new Map(plan.credits.map((c) => [creditIds.get(c.index)!, { paymentRef: c.paymentRef, endToEndId: c.endToEndId }]));
    return { run, files, lines, recoveries: plan.recoveries, deductions: plan.deductions, creditRefs };
  });
}

async function summariseRun(m: EntityManager, runId: string): Promise<Omit<RunSummary, 'created'>> {
  const t = await runTotals(m, runId);
  return {
    runId,
    state: t.state,
    lines: t.lines,
    heldLines: t.held,
    credits: t.credits,
    payablePence: BigInt(t.payable),
    heldPence: BigInt(t.held_pence),
    recoveries: t.recoveries,
    runHoldReasons: t.hold_reasons,
  };
}

/**
 * Builds the run's files from the database, and (unless `verify: false`, for bytes whose SHA-256
 * the caller checks against a manifest made from verified files) re-reads each file and compares
 * its records, total and references with the credits. A run that is HELD or awaiting approval has
 * no payment files (its manifest is named `<runId>.held.manifest.json`, so the final one can
 * follow as `<runId>.manifest.json` once it is released; docs/payment-rules.md). The same code as the run's creation
 * lays the files out, so a rebuild gives the bytes the manifest recorded then (delivery refuses
 * anything else).
 */
export async function buildRunFiles(
  m: EntityManager,
  runId: string,
  settings: CouncilSettings,
  calendar: BacsCalendar,
  options: { verify?: boolean } = {},
): Promise<BuiltRunFiles> {
  return (await readRunFiles(m, runId, settings, calendar, options)).built;
}

/** buildRunFiles and the run's manifest, built from the database. */
export async function buildRunOutputs(
  m: EntityManager,
  runId: string,
  settings: CouncilSettings,
  calendar: BacsCalendar,
  options: { verify?: boolean } = {},
): Promise<RunOutputs> {
  const { built, header, lineRows, creditRefs, files } = await readRunFiles(m, runId, settings, calendar, options);
  const recoveryRows = await recoveryProposalsOfRun(m, runId);
  const { manifest, manifestBytes } = draftManifest({
    runId,
    council: header.council,
    runDate: header.runDate,
    held: !isReleasedState(header.state),
    lines: lineRows.map((l) => manifestLineOf(l, runId, creditRefs.get(l.credit_id ?? ''))),
    recoveries: recoveryRows.map((r) => ({ dpId: r.dp_id, reason: r.reason, periodStart: r.period_start, periodEnd: r.period_end, amountPence: BigInt(r.amount_pence) })),
    deductions: await deductionsOfRun(m, runId),
  }).withFiles(files);
  return { ...built, manifest, manifestBytes };
}

async function readRunFiles(m: EntityManager, runId: string, settings: CouncilSettings, calendar: BacsCalendar, options: { verify?: boolean }) {
  const run = await runHeader(m, runId);
  if (!run) throw new Error(`run ${runId} not found`);
  const header: RunHeader = { council: run.council, runDate: run.run_date, sequence: run.sequence, state: run.state };
  const creditRows = await creditsOfRun(m, runId);
  const lineRows = await linesOfRun(m, runId);
  const offsetRows = await creditOffsetsOfRun(m, runId);

  const linesByCredit = new Map<string, CreditLine[]>();
  const add = (creditId: string, line: CreditLine) => {
    const list = linesByCredit.get(creditId);
    if (list) list.push(line);
    else linesByCredit.set(creditId, [line]);
  };
  for (const l of lineRows) {
    // Lines below zero are in their credit as its offsets (credit_offset), one per DP.
    if (l.credit_id === null || BigInt(l.payable_pence) <= 0n) continue;
    add(l.credit_id, { dpId: l.dp_id, kind: l.kind, periodStart: l.period_start, periodEnd: l.period_end, costCentre: l.cost_centre, glAccount: l.gl_account, payablePence: BigInt(l.payable_pence) });
  }
  for (const o of offsetRows) {
    add(o.credit_id, { dpId: o.dp_id, kind: 'ADJUSTMENT', periodStart: o.period_start, periodEnd: o.period_end, costCentre: o.cost_centre, glAccount: o.gl_account, payablePence: BigInt(o.amount_pence) });
  }
  const credits: FileCredit[] = creditRows.map((c) => ({
    paymentRef: c.payment_ref,
    endToEndId: c.end_to_end_id,
    payeeId: c.payee_id,
    channel: c.channel,
    cardProvider: c.card_provider,
    cardAccountRef: c.card_account_ref,
    vendorNo: c.vendor_no,
    sortCode: c.sort_code,
    accountNumber: c.account_number,
    accountName: c.account_name,
    amountPence: BigInt(c.amount_pence),
    lines: linesByCredit.get(c.id) ?? [],
  }));
  const released = isReleasedState(run.state);
  const files = released
    ? await writeFiles(filesInputOf(runId, header, credits, settings, calendar), settings, { verify: options.verify !== false, offThread: false })
    : NO_FILES;
  assertChecked(runId, files.verdicts);
  const built: BuiltRunFiles = {
    runId,
    state: run.state,
    financeFiles: files.all.filter((f) => !isCardLoadFile(f.name)),
    cardFiles: files.cardLoads,
    manifestFiles: manifestFileEntries(files.all),
    manifestName: released ? manifestFileName(runId) : `${runId}.held.manifest.json`,
  };
  const creditRefs = new Map(creditRows.map((c) => [c.id, { paymentRef: c.payment_ref, endToEndId: c.end_to_end_id }]));
  return { built, header, lineRows, creditRefs, files: files.all };
}

interface RunHeader {
  council: string;
  runDate: string;
  sequence: number;
  state: RunState;
}

interface CreditRefs {
  paymentRef: string;
  endToEndId: string;
}

/** A credit as the files show it, with the card details a card-load file needs. Lines in any order. */
type FileCredit = Credit & { channel: 'BANK' | 'CARD'; cardProvider: string | null; cardAccountRef: string | null };

function manifestLineOf(l: RunLineRow, runId: string, credit: CreditRefs | undefined): ManifestLineIn {
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
    paymentRef: credit?.paymentRef ?? null,
    endToEndId: credit?.endToEndId ?? null,
  };
}

/**
 * The files' input, the same whether the credits come from the plan or from the database: credits
 * in payment-reference order; in each, the lines paid (by DP, period, kind), then the netting
 * offsets (by DP, period); card loads by provider and account.
 */
function filesInputOf(runId: string, run: RunHeader, credits: FileCredit[], settings: CouncilSettings, calendar: BacsCalendar): PaymentRunFilesInput {
  const ordered = [...credits].sort((a, b) => compareText(a.paymentRef, b.paymentRef));
  const cardLoads: CardLoad[] = ordered
    .filter((c) => c.channel === 'CARD')
    .map((c) => ({ provider: c.cardProvider ?? '', accountRef: c.cardAccountRef ?? '', payeeId: c.payeeId, amountPence: c.amountPence, reference: c.paymentRef }))
    .sort((a, b) => compareText(a.provider, b.provider) || compareText(a.accountRef, b.accountRef));
  return {
    runId,
    council: run.council,
    runDate: run.runDate,
    processingDate: calendar.processingDay(run.runDate),
    entryDate: calendar.entryDay(run.runDate),
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
    credits: ordered.map((c) => ({
      paymentRef: c.paymentRef,
      endToEndId: c.endToEndId,
      payeeId: c.payeeId,
      vendorNo: c.vendorNo,
      sortCode: c.sortCode,
      accountNumber: c.accountNumber,
      accountName: c.accountName,
      amountPence: c.amountPence,
      lines: inFileOrder(c.lines),
    })),
    cardLoads,
  };
}

/** Lines paid (payable > 0) by DP, period and kind, then offsets (< 0) by DP and period; zero lines are not in the files. */
function inFileOrder(lines: CreditLine[]): CreditLine[] {
  const paid = lines.filter((l) => l.payablePence > 0n);
  const offsets = lines.filter((l) => l.payablePence < 0n);
  paid.sort((a, b) => compareText(a.dpId, b.dpId) || compareText(a.periodStart, b.periodStart) || compareText(a.kind, b.kind));
  offsets.sort((a, b) => compareText(a.dpId, b.dpId) || compareText(a.periodStart, b.periodStart));
  return paid.length && offsets.length ? [...paid, ...offsets] : offsets.length ? offsets : paid;
}

function writeFiles(
  input: PaymentRunFilesInput,
  settings: CouncilSettings,
  o: { verify: boolean; offThread?: boolean; signal?: AbortSignal },
): Promise<CheckedRunFiles> {
  return writeCheckedRunFiles(input, { postingFormat: settings.finance.postingFormat, paymentFormat: settings.finance.paymentFormat }, o);
}

function assertChecked(runId: string, verdicts: FileVerdict[]): void {
  for (const v of verdicts) {
    if (!v.ok) throw new Error(`run ${runId}: file ${v.name} failed its re-read check: ${v.problems.join('; ')}`);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
