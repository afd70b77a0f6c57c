/**
 * Loads what planRun needs for one council from Postgres, inside the run's transaction.
 * Amounts come back from pg as strings and become bigint here; dates stay 'YYYY-MM-DD'.
 */
import type { EntityManager } from 'typeorm';
import { BacsCalendar, type Pence } from '@dpb/common';
import { termsFromJson, type TermsJson } from '@dpb/care-records/terms-json';
import type { CouncilSettings, DirectPaymentForCalc, Frequency, Taken } from '../rules';
import type { LoadedDp, LoadedPayee, ReleasedGroup, RunInput } from './plan';
// The case repository imports nothing of payments (no cycle with the cases service).
import { dpsWithOpenDeathCase } from '@dpb/cases/case.repository';
import { openOffsetRecoveries } from '@dpb/cases/recovery.repository';
import {
  checkedBases, earlierRunTotals, lastBankCreditPerPayee, lastRunBefore, latestRegularLines, officerReleasedLines, payeeCarries,
  paymentRefCounter, releasedPeriodGroups, runInputDps, takenLines, takenRegularUpTo, type RunInputDpRow, type TakenLineRow,
} from './payment-run.repository';

/** Identifies a DP's calculation input in SQL (defined with the run's reads). */
export { BASIS_HASH_SQL } from './payment-run.repository';

/** direct_payment.terms: the one terms document, written by the care-records import. */
export type { TermsJson };


/**
 * A DP's row as the rules read it: its own fields around the terms document, decoded by the care
 * record's codec (the rules read the model's terms as they are).
 */
export function calcFromTerms(r: Pick<RunInputDpRow, 'dp_id' | 'frequency' | 'basis' | 'funding_stream' | 'start_date' | 'end_date' | 'date_of_death' | 'terms'>): DirectPaymentForCalc {
  return {
    dpId: r.dp_id,
    frequency: r.frequency,
    basis: r.basis,
    fundingStream: r.funding_stream,
    start: r.start_date,
    end: r.end_date,
    dateOfDeath: r.date_of_death,
    ...termsFromJson(r.terms),
  };
}


const big = (v: string | number | null | undefined): Pence => BigInt(v ?? 0);

/** What a run's period enumeration depends on besides each DP's own input; recorded on every run. */
export function periodGrid(settings: Pick<CouncilSettings, 'goLiveDate' | 'anchorDate'>): string {
  return `${settings.goLiveDate}|${settings.anchorDate}`;
}

/**
 * The horizon of a night (duePayments): the previous run's date, when that run enumerated periods
 * on the same grid and no run exists for this date or later (runs created out of date order get
 * the full walk). A DP whose calculation input is the one recorded for it (dp_checked_basis: every
 * run records the input of every DP it planned, when it differs) was planned by that run with this
 * same input, so every period starting on or before its date is taken or not payable. By
 * induction over runs: the run that first saw the input walked from go-live.
 */
async function nightHorizon(m: EntityManager, council: string, runDate: string, grid: string): Promise<string | null> {
  const r = await lastRunBefore(m, council, runDate);
  return r.run_date !== null && r.period_grid === grid && !r.later ? r.run_date : null;
}

export async function loadRunInput(
  m: EntityManager,
  args: {
    council: string; runId: string; runDate: string; settings: CouncilSettings; calendar: BacsCalendar;
    /** Walk every period since go-live for every DP (no horizon): for checks of the horizon itself. */
    walkFromGoLive?: boolean;
  },
): Promise<RunInput> {
  const { council, runDate } = args;
  const horizon = args.walkFromGoLive ? null : await nightHorizon(m, council, runDate, periodGrid(args.settings));
  // Every query that needs no other's result is queued now and sent one after another on the
  // run's connection: the next goes out as soon as the one before has finished (in that query's
  // own completion, before any caller resumes), so PostgreSQL runs it while this process works
  // through the rows of the one before. Never two at once on one client (pg deprecates queueing a
  // query behind a running one); the later queries below join the same queue.
  const waiting: (() => void)[] = [];
  let running = false;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows typed by the repository's read functions
  const send = (sql: string, params: unknown[]): Promise<any> => {
    const p = new Promise((resolve, reject) => {
      const run = (): void => {
        running = true;
        const next = (): void => {
          running = false;
          waiting.shift()?.();
        };
        m.query(sql, params).then((rows) => (next(), resolve(rows)), (e: unknown) => (next(), reject(e)));
      };
      if (running) waiting.push(run);
      else run();
    });
    p.catch(() => undefined); // each is awaited below; a failure surfaces there
    return p;
  };
  const quiet = <T>(p: Promise<T>) => {
    p.catch(() => undefined); // awaited below; a failure surfaces there
    return p;
  };
  // The run's reads (payment-run.repository.ts) go through this queue, in this order.
  const q = { query: send };
  const sent = {
    rows: runInputDps(q, council),
    lastCredit: lastBankCreditPerPayee(q, council),
    checked: checkedBases(q, council),
    takenRows: takenLines(q, council, horizon),
    prevRows: latestRegularLines(q, council),
    officer: officerReleasedLines(q, council),
    carryRows: payeeCarries(q, council),
    runs: earlierRunTotals(q, council, runDate),
    counter: paymentRefCounter(q, council),
    // DPs named by a DEATH case not yet closed: their lines are held (DEATH_CASE).
    deathCase: quiet(dpsWithOpenDeathCase(q, council)),
    // APPROVED cases recovered from later payments (docs/reclaims.md).
    recoveryOffsets: quiet(openOffsetRecoveries(q, council)),
  };
  const rows = await sent.rows;
  const lastCredit = await sent.lastCredit;
  const lastHash = new Map(lastCredit.map((r) => [r.payee_id, r.bank_hash]));

  // Released periods are recomputed only for DPs whose calculation input changed since they were
  // last checked (dp_checked_basis), so a quiet night does not re-read every paid period.
  const checked = await sent.checked;
  const checkedBasis = new Map(checked.map((c) => [c.dp_id, c.basis_hash]));
  const calcStored = new Set(checked.filter((c) => c.calc_stored).map((c) => c.dp_id));
  const deathCase = await sent.deathCase;
  const dps: LoadedDp[] = [];
  const payees = new Map<string, LoadedPayee>();
  for (const r of rows) {
    const calc = calcFromTerms(r);
    const recorded = checkedBasis.get(r.dp_id) ?? null;
    dps.push({
      calc,
      personId: r.person_id,
      payeeId: r.payee_id,
      costCentre: r.cost_centre,
      glAccount: r.gl_account,
      missingFromFull: r.missing_from_full,
      deathCase: deathCase.has(r.dp_id),
      causeExtract: r.cause_extract,
      basisHash: r.basis_hash_calc,
      checkedBasisHash: recorded,
      checkedCalcStored: calcStored.has(r.dp_id),
      horizon: recorded === r.basis_hash_calc ? horizon : null,
    });
    if (!payees.has(r.payee_id)) {
      payees.set(r.payee_id, {
        payeeId: r.payee_id,
        accountType: r.account_type,
        vendorNo: r.vendor_no,
        modulusValid: r.modulus_valid,
        bacsReturnBlocked: r.bacs_return_blocked,
        bankHash: r.bank_hash,
        sortCode: r.sort_code,
        accountNumber: r.account_number,
        accountName: r.account_name,
        cardProvider: r.card_provider,
        cardAccountRef: r.card_account_ref,
        lastCreditBankHash: lastHash.get(r.payee_id) ?? null,
      });
    }
  }

  const taken = new Map<string, { regularPeriodStarts: Set<string>; oneOffIds: Set<string> }>();
  const addTaken = (rows: TakenLineRow[]) => {
    for (const t of rows) {
      let e = taken.get(t.dp_id);
      if (!e) taken.set(t.dp_id, (e = { regularPeriodStarts: new Set(), oneOffIds: new Set() }));
      if (t.kind === 'REGULAR') e.regularPeriodStarts.add(t.period_start);
      else if (t.one_off_id) e.oneOffIds.add(t.one_off_id);
    }
  };
  addTaken(await sent.takenRows);
  const fullWalk = horizon === null ? [] : dps.filter((d) => d.horizon === null).map((d) => d.calc.dpId);
  if (fullWalk.length) {
    addTaken(await takenRegularUpTo(q, council, fullWalk, horizon!));
  }

  const prevRows = await sent.prevRows;
  const previousRegular = new Map(
    prevRows.map((r) => [r.dp_id, { payablePence: big(r.payable_pence), payableDays: Number(r.payable_days), periodDays: Number(r.period_days), periodEnd: r.period_end }]),
  );

  const changed = dps.filter((d) => d.checkedBasisHash !== null && d.checkedBasisHash !== d.basisHash).map((d) => d.calc.dpId);
  const released: ReleasedGroup[] = [];
  if (changed.length) {
    const groups = await releasedPeriodGroups(q, council, changed);
    for (const g of groups) {
      released.push({
        dpId: g.dp_id,
        periodStart: g.period_start,
        periodEnd: g.period_end,
        frequency: g.frequency,
        grossPence: big(g.gross),
        contributionPence: big(g.contribution),
        payablePence: big(g.payable),
        lastBasisHash: g.last_basis,
        proposedRecoveryPence: big(g.recovered),
      });
    }
  }

  const officer = await sent.officer;
  const carryRows = await sent.carryRows;
  const carry = new Map<string, Map<string, Pence>>();
  for (const c of carryRows) {
    if (!carry.has(c.payee_id)) carry.set(c.payee_id, new Map());
    carry.get(c.payee_id)!.set(c.dp_id, big(c.amount_pence));
  }
  const runs = await sent.runs;
  const previousRegularTotals = new Map<Frequency, Pence>();
  for (const r of runs) {
    for (const [f, v] of Object.entries(r.regular_totals ?? {})) {
      if (!previousRegularTotals.has(f as Frequency)) previousRegularTotals.set(f as Frequency, big(v));
    }
  }
  const counter = await sent.counter;

  return {
    council,
    runId: args.runId,
    runDate,
    settings: args.settings,
    calendar: args.calendar,
    dps,
    payees,
    taken: taken as Map<string, Taken>,
    previousRegular,
    released,
    officerReleased: officer.map((o) => ({
      id: o.id,
      dpId: o.dp_id,
      kind: o.kind,
      periodStart: o.period_start,
      periodEnd: o.period_end,
      oneOffId: o.one_off_id,
      payablePence: big(o.payable_pence),
    })),
    carry,
    previousRegularTotals,
    nextRefSeq: counter[0] ? big(counter[0].next) : 1n,
    recoveryOffsets: await sent.recoveryOffsets,
  };
}
