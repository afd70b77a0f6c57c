/**
 * Loads what planRun needs for one council from Postgres, inside the run's transaction, step by
 * step: the DPs with their payees, the periods already taken, the released periods to re-check,
 * officers' released lines, carried offsets, earlier runs' totals. Every read is sent at once
 * (runInputReads in the repository) and each step awaits the ones it needs. Amounts come back from
 * pg as strings and become bigint here; dates stay 'YYYY-MM-DD'.
 */
import type { EntityManager } from 'typeorm';
import { BacsCalendar, type Pence } from '@dpb/common';
import { termsFromJson } from '@dpb/care-records/terms-json';
import type { CouncilSettings, DirectPaymentForCalc, Frequency, Taken } from '../rules';
import type { LoadedDp, LoadedPayee, OfficerReleasedLine, ReleasedGroup, RunInput } from './plan';
import { lastRunBefore, runInputReads, type RunInputDpRow, type RunInputReads, type TakenLineRow } from './payment-run.repository';


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
  const reads = runInputReads(m, council, runDate, horizon);
  // The steps await their reads in the order they were sent.
  const { dps, payees } = await loadDps(reads, horizon);
  const taken = await loadTaken(reads, dps, horizon);
  const previousRegular = await loadPreviousRegular(reads);
  const released = await loadReleased(reads, dps);
  const officerReleased = await loadOfficerReleased(reads);
  const carry = await loadCarry(reads);
  const previousRegularTotals = await loadPreviousTotals(reads);
  const counter = await reads.counter;
  return {
    council,
    runId: args.runId,
    runDate,
    settings: args.settings,
    calendar: args.calendar,
    dps,
    payees,
    taken,
    previousRegular,
    released,
    officerReleased,
    carry,
    previousRegularTotals,
    nextRefSeq: counter[0] ? big(counter[0].next) : 1n,
    recoveryOffsets: await reads.recoveryOffsets,
  };
}

/**
 * The council's DPs (by DP id) and their payees, each DP with the calculation input last checked
 * for it and its horizon: the night's horizon while its input is the one checked, else none (walk
 * from go-live).
 */
async function loadDps(reads: RunInputReads, horizon: string | null): Promise<{ dps: LoadedDp[]; payees: Map<string, LoadedPayee> }> {
  const rows = await reads.dps;
  const lastCredit = await reads.lastCredit;
  const lastHash = new Map(lastCredit.map((r) => [r.payee_id, r.bank_hash]));
  // Released periods are recomputed only for DPs whose calculation input changed since they were
  // last checked (dp_checked_basis), so a quiet night does not re-read every paid period.
  const checked = await reads.checked;
  const checkedBasis = new Map(checked.map((c) => [c.dp_id, c.basis_hash]));
  const calcStored = new Set(checked.filter((c) => c.calc_stored).map((c) => c.dp_id));
  const deathCase = await reads.deathCase;
  const dps: LoadedDp[] = [];
  const payees = new Map<string, LoadedPayee>();
  for (const r of rows) {
    const recorded = checkedBasis.get(r.dp_id) ?? null;
    dps.push({
      calc: calcFromTerms(r),
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
    if (!payees.has(r.payee_id)) payees.set(r.payee_id, payeeOf(r, lastHash.get(r.payee_id) ?? null));
  }
  return { dps, payees };
}

function payeeOf(r: RunInputDpRow, lastCreditBankHash: string | null): LoadedPayee {
  return {
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
    lastCreditBankHash,
  };
}

/**
 * Per DP, the regular periods and one-offs already taken: those after the horizon, and every one
 * of a DP walked from go-live despite the night's horizon (its input changed since it was checked).
 */
async function loadTaken(reads: RunInputReads, dps: LoadedDp[], horizon: string | null): Promise<Map<string, Taken>> {
  const taken = new Map<string, { regularPeriodStarts: Set<string>; oneOffIds: Set<string> }>();
  const addTaken = (rows: TakenLineRow[]) => {
    for (const t of rows) {
      let e = taken.get(t.dp_id);
      if (!e) taken.set(t.dp_id, (e = { regularPeriodStarts: new Set(), oneOffIds: new Set() }));
      if (t.kind === 'REGULAR') e.regularPeriodStarts.add(t.period_start);
      else if (t.one_off_id) e.oneOffIds.add(t.one_off_id);
    }
  };
  addTaken(await reads.taken);
  const fullWalk = horizon === null ? [] : dps.filter((d) => d.horizon === null).map((d) => d.calc.dpId);
  if (fullWalk.length) addTaken(await reads.takenRegularUpTo(fullWalk, horizon!));
  return taken;
}

/** Per DP, its latest REGULAR line that was not cancelled. */
async function loadPreviousRegular(reads: RunInputReads): Promise<RunInput['previousRegular']> {
  const rows = await reads.previousRegular;
  return new Map(
    rows.map((r) => [r.dp_id, { payablePence: big(r.payable_pence), payableDays: Number(r.payable_days), periodDays: Number(r.period_days), periodEnd: r.period_end }]),
  );
}

/** Released periods of the DPs whose calculation input changed since they were last checked. */
async function loadReleased(reads: RunInputReads, dps: LoadedDp[]): Promise<ReleasedGroup[]> {
  const changed = dps.filter((d) => d.checkedBasisHash !== null && d.checkedBasisHash !== d.basisHash).map((d) => d.calc.dpId);
  if (!changed.length) return [];
  const groups = await reads.releasedPeriodGroups(changed);
  return groups.map((g) => ({
    dpId: g.dp_id,
    periodStart: g.period_start,
    periodEnd: g.period_end,
    frequency: g.frequency,
    grossPence: big(g.gross),
    contributionPence: big(g.contribution),
    payablePence: big(g.payable),
    lastBasisHash: g.last_basis,
    proposedRecoveryPence: big(g.recovered),
  }));
}

/** Lines an officer released that no run has paid yet. */
async function loadOfficerReleased(reads: RunInputReads): Promise<OfficerReleasedLine[]> {
  const officer = await reads.officer;
  return officer.map((o) => ({
    id: o.id,
    dpId: o.dp_id,
    kind: o.kind,
    periodStart: o.period_start,
    periodEnd: o.period_end,
    oneOffId: o.one_off_id,
    payablePence: big(o.payable_pence),
  }));
}

/** Offsets still owed, per payee and DP. */
async function loadCarry(reads: RunInputReads): Promise<Map<string, Map<string, Pence>>> {
  const carry = new Map<string, Map<string, Pence>>();
  for (const c of await reads.carries) {
    if (!carry.has(c.payee_id)) carry.set(c.payee_id, new Map());
    carry.get(c.payee_id)!.set(c.dp_id, big(c.amount_pence));
  }
  return carry;
}

/** Per frequency, the REGULAR total of the latest earlier run that had one. */
async function loadPreviousTotals(reads: RunInputReads): Promise<Map<Frequency, Pence>> {
  const totals = new Map<Frequency, Pence>();
  for (const r of await reads.runs) {
    for (const [f, v] of Object.entries(r.regular_totals ?? {})) {
      if (!totals.has(f as Frequency)) totals.set(f as Frequency, big(v));
    }
  }
  return totals;
}
