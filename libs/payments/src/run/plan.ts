/**
 * Plans one payment run: which lines are created, which are held and why, which adjustments
 * and recovery proposals changes after payment cause, and how released lines become one credit
 * per payee. Pure: everything it needs is loaded by the caller (load.ts) and everything it
 * decides is written by the caller (storePlan in payment-run.repository.ts). Same input, same
 * plan, whatever the clock says. planRun composes the steps: planDp for each DP, planAdjustments,
 * planOfficerLines, buildCredits, then the regular totals and the run hold.
 */
import { BacsCalendar, CivilDate, Pence, compareDates } from '@dpb/common';
import type { AccountType } from '@dpb/care-records/model';
import type { CreditLine } from '../files/model';
import {
  HoldCode,
  RegularAmountFacts,
  RunHoldResult,
  periodTotals,
  decideAdjustment,
  deductRecoveries,
  duePayments,
  endToEndId,
  hasEnded,
  isFirstAfterRateChange,
  lineHoldReasons,
  netPayeeCredit,
  paymentRef,
  recomputeForAdjustment,
  runHold,
  type CouncilSettings,
  type DirectPaymentForCalc,
  type Frequency,
  type OpenOffsetRecovery,
  type RecoveryDeduction,
  type PayeeFacts,
  type Taken,
} from '../rules';

export type LineKind = 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';

export interface LoadedDp {
  calc: DirectPaymentForCalc;
  personId: string;
  payeeId: string;
  costCentre: string;
  glAccount: string;
  missingFromFull: boolean;
  /** A DEATH case not yet closed names this DP (its lines are held: DEATH_CASE). */
  deathCase?: boolean;
  /** The newest extract behind this DP's current state (DP or person record). */
  causeExtract: string;
  /** SHA-256 of the calculation input (see BASIS_HASH_SQL in payment-run.repository.ts). */
  basisHash: string;
  /** The basis this DP was last planned with (dp_checked_basis; null: never planned). */
  checkedBasisHash: string | null;
  /** Whether that basis's calculation input is in calc_basis (stored once a line needs it). */
  checkedCalcStored: boolean;
  /** Periods starting on or before this date need no second look (duePayments); null: walk from go-live. */
  horizon: CivilDate | null;
}

export interface LoadedPayee {
  payeeId: string;
  accountType: AccountType;
  vendorNo: string | null;
  modulusValid: boolean | null;
  bacsReturnBlocked: boolean;
  bankHash: string | null;
  sortCode: string | null;
  accountNumber: string | null;
  accountName: string | null;
  cardProvider: string | null;
  cardAccountRef: string | null;
  /** bank_hash of the payee's last released BANK credit (null: none yet). */
  lastCreditBankHash: string | null;
}

/** Released lines of one (DP, period), summed, and what the newest of them was computed from. */
export interface ReleasedGroup {
  dpId: string;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  frequency: Frequency;
  grossPence: Pence;
  contributionPence: Pence;
  payablePence: Pence;
  lastBasisHash: string;
  proposedRecoveryPence: Pence;
}

/** A line an officer released since the last run: recomputed now, paid in this run. */
export interface OfficerReleasedLine {
  id: string;
  dpId: string;
  kind: LineKind;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  oneOffId: string | null;
  payablePence: Pence;
}

export interface RunInput {
  council: string;
  runId: string;
  runDate: CivilDate;
  settings: CouncilSettings;
  calendar: BacsCalendar;
  dps: LoadedDp[];
  payees: ReadonlyMap<string, LoadedPayee>;
  taken: ReadonlyMap<string, Taken>;
  /** The DP's latest REGULAR line before this run (any state but cancelled). */
  previousRegular: ReadonlyMap<string, RegularAmountFacts & { periodEnd: CivilDate }>;
  released: ReleasedGroup[];
  officerReleased: OfficerReleasedLine[];
  /** Offsets still owed per payee and DP (values <= 0). */
  carry: ReadonlyMap<string, ReadonlyMap<string, Pence>>;
  /** Per frequency, the REGULAR total of the latest earlier run that had one. */
  previousRegularTotals: ReadonlyMap<Frequency, Pence>;
  /** The council's next unused payment reference sequence number. */
  nextRefSeq: bigint;
  /** APPROVED cases recovered by offset with an amount still outstanding (docs/reclaims.md). */
  recoveryOffsets?: readonly OpenOffsetRecovery[];
}

export interface PlannedLine {
  dpId: string;
  personId: string;
  payeeId: string;
  kind: LineKind;
  frequency: Frequency;
  costCentre: string;
  glAccount: string;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  oneOffId: string | null;
  causeExtract: string | null;
  grossPence: Pence;
  contributionPence: Pence;
  payablePence: Pence;
  holdReasons: HoldCode[];
  basisHash: string;
  facts: Record<string, string | number | boolean | null>;
  /** 1-based index into `credits` (null: held, zero, or netted away entirely). */
  creditIndex: number | null;
}

export interface PlannedRecovery {
  dpId: string;
  reason: 'PAYMENT_AFTER_DEATH' | 'OVERPAYMENT';
  periodStart: CivilDate;
  periodEnd: CivilDate;
  amountPence: Pence;
  causeExtract: string;
}

export interface PlannedCredit {
  index: number;
  payeeId: string;
  channel: 'BANK' | 'CARD';
  cardProvider: string | null;
  cardAccountRef: string | null;
  vendorNo: string;
  sortCode: string;
  accountNumber: string;
  accountName: string;
  bankHash: string | null;
  paymentRef: string;
  endToEndId: string;
  amountPence: Pence;
  /** What the finance files show: sums to amountPence (offsets as one netting line per DP). */
  fileLines: CreditLine[];
}

export interface RunPlan {
  lines: PlannedLine[];
  officerLines: {
    id: string; dpId: string; grossPence: Pence; contributionPence: Pence; payablePence: Pence; creditIndex: number | null;
    /** The DP's current payee and coding, under which the line is paid (null: the DP is gone; nothing paid). */
    coding: { payeeId: string; costCentre: string; glAccount: string } | null;
  }[];
  credits: PlannedCredit[];
  recoveries: PlannedRecovery[];
  /** What this run took back from DPs' payments for APPROVED cases recovered by offset. */
  deductions: RecoveryDeduction[];
  /** New offset balances for every payee the run touched (absent DP = 0). */
  carry: Map<string, Map<string, Pence>>;
  regularTotals: Map<Frequency, Pence>;
  runHold: RunHoldResult;
  nextRefSeq: bigint;
}

/** Thrown for data the run cannot pay safely (e.g. a card payee with no funding account). */
export class RunPlanError extends Error {
  override readonly name = 'RunPlanError';
}

interface Payable {
  dpId: string;
  payeeId: string;
  kind: LineKind;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  costCentre: string;
  glAccount: string;
  payablePence: Pence;
  assign: (creditIndex: number | null) => void;
}

/**
 * `bankAccepted`: an officer released one of this payee's lines since the last run, so the current
 * bank details are accepted and the payee's other lines are not held again for the same change.
 */
function payeeFacts(p: LoadedPayee, bankAccepted: boolean): PayeeFacts {
  return {
    accountType: p.accountType,
    vendorNo: p.vendorNo,
    modulusFailed: p.modulusValid === false,
    bacsReturnBlocked: p.bacsReturnBlocked,
    bankChangedSinceLastReleasedCredit:
      !bankAccepted && p.lastCreditBankHash !== null && p.bankHash !== null && p.lastCreditBankHash !== p.bankHash,
  };
}

/** The line-hold settings of the council (lineHoldReasons). */
type HoldSettings = Pick<
  CouncilSettings,
  'goLiveDate' | 'holdFirstPayment' | 'holdBankChange' | 'holdChangePct' | 'holdEveryOneOff' | 'holdEndingInPeriod' | 'holdFirstAfterRateChange'
>;

/** What the steps of one plan share: the input, and the lines and payables planned so far. */
class RunPlanning {
  readonly holdSettings: HoldSettings;
  readonly dpById: ReadonlyMap<string, LoadedDp>;
  /** Payees with a line an officer released since the last run (payeeFacts: bank details accepted). */
  readonly bankAccepted: ReadonlySet<string>;
  readonly lines: PlannedLine[] = [];
  /** Released, non-zero amounts for buildCredits, in the order planned. */
  readonly payables: Payable[] = [];

  constructor(readonly input: RunInput) {
    const s = input.settings;
    this.holdSettings = {
      goLiveDate: s.goLiveDate,
      holdFirstPayment: s.holdFirstPayment,
      holdBankChange: s.holdBankChange,
      holdChangePct: s.holdChangePct,
      holdEveryOneOff: s.holdEveryOneOff,
      holdEndingInPeriod: s.holdEndingInPeriod,
      holdFirstAfterRateChange: s.holdFirstAfterRateChange,
    };
    this.dpById = new Map(input.dps.map((d) => [d.calc.dpId, d]));
    this.bankAccepted = new Set(input.officerReleased.map((l) => this.dpById.get(l.dpId)?.payeeId).filter((p): p is string => !!p));
  }

  payeeFactsOf(dp: LoadedDp, payee: LoadedPayee): PayeeFacts {
    return payeeFacts(payee, this.bankAccepted.has(dp.payeeId));
  }

  /** A line of `dp`; unless held or zero, also a payable. One fixed object shape (no spreads): a run builds hundreds of thousands. */
  addLine(
    dp: LoadedDp,
    kind: LineKind,
    periodStart: CivilDate,
    periodEnd: CivilDate,
    amounts: { grossPence: Pence; contributionPence: Pence; payablePence: Pence },
    more: { frequency: Frequency; oneOffId: string | null; causeExtract: string | null; holdReasons: HoldCode[]; facts: PlannedLine['facts'] },
  ): void {
    const line: PlannedLine = {
      dpId: dp.calc.dpId,
      personId: dp.personId,
      payeeId: dp.payeeId,
      kind,
      frequency: more.frequency,
      costCentre: dp.costCentre,
      glAccount: dp.glAccount,
      periodStart,
      periodEnd,
      oneOffId: more.oneOffId,
      causeExtract: more.causeExtract,
      grossPence: amounts.grossPence,
      contributionPence: amounts.contributionPence,
      payablePence: amounts.payablePence,
      holdReasons: more.holdReasons,
      basisHash: dp.basisHash,
      facts: more.facts,
      creditIndex: null,
    };
    this.lines.push(line);
    if (line.holdReasons.length === 0 && line.payablePence !== 0n) {
      this.payables.push({
        dpId: line.dpId, payeeId: line.payeeId, kind, periodStart, periodEnd, costCentre: line.costCentre,
        glAccount: line.glAccount, payablePence: line.payablePence, assign: (i) => (line.creditIndex = i),
      });
    }
  }
}

const NONE_TAKEN: Taken = { regularPeriodStarts: new Set(), oneOffIds: new Set() };

export function planRun(input: RunInput): RunPlan {
  const run = new RunPlanning(input);
  for (const dp of input.dps) planDp(run, dp);
  const recoveries = planAdjustments(run);
  const officerLines = planOfficerLines(run);
  const { credits, carry, nextRefSeq, deductions } = buildCredits(input, run.payables);
  const regularTotals = regularTotalsOf(run.lines);
  return {
    lines: run.lines,
    officerLines,
    credits,
    recoveries,
    deductions,
    carry,
    regularTotals,
    runHold: runHold(regularTotals, input.previousRegularTotals, input.settings.holdRunPct),
    nextRefSeq,
  };
}

/** The regular periods and one-offs due to one DP in this run, each with its holds. */
function planDp(run: RunPlanning, dp: LoadedDp): void {
  const { input, holdSettings } = run;
  const payee = input.payees.get(dp.payeeId);
  if (!payee) throw new RunPlanError(`DP ${dp.calc.dpId}: payee ${dp.payeeId} not found`);
  const facts = run.payeeFactsOf(dp, payee);
  const dpFacts = { start: dp.calc.start, end: dp.calc.end, missingFromLatestFull: dp.missingFromFull, deathCase: dp.deathCase };
  const due = duePayments(dp.calc, input.runDate, input.settings, input.calendar, input.taken.get(dp.calc.dpId) ?? NONE_TAKEN, dp.horizon);
  let previous = input.previousRegular.get(dp.calc.dpId) ?? null;
  for (const r of due.regular) {
    const current: RegularAmountFacts = {
      payablePence: r.amount.payablePence,
      payableDays: r.amount.payableDays,
      periodDays: r.amount.periodDays,
    };
    const holdReasons = lineHoldReasons(
      {
        kind: 'REGULAR',
        periodStart: r.period.start,
        periodEnd: r.period.end,
        payee: facts,
        dp: dpFacts,
        regular: { current, previous },
        firstAfterRateChange: isFirstAfterRateChange(dp.calc.rates, previous?.periodEnd ?? null, r.period.end),
      },
      holdSettings,
    );
    run.addLine(dp, 'REGULAR', r.period.start, r.period.end, r.amount, {
      frequency: dp.calc.frequency,
      oneOffId: null,
      causeExtract: null,
      holdReasons,
      facts: { releaseDate: r.releaseDate, payableDays: r.amount.payableDays, periodDays: r.amount.periodDays },
    });
    previous = { ...current, periodEnd: r.period.end };
  }
  for (const o of due.oneOffs) {
    const holdReasons = lineHoldReasons(
      { kind: 'ONE_OFF', periodStart: o.oneOff.payDate, periodEnd: o.oneOff.payDate, payee: facts, dp: dpFacts, oneOff: o },
      holdSettings,
    );
    const amount = o.oneOff.amountPence;
    run.addLine(dp, 'ONE_OFF', o.oneOff.payDate, o.oneOff.payDate, { grossPence: amount, contributionPence: 0n, payablePence: amount }, {
      frequency: dp.calc.frequency,
      oneOffId: o.oneOff.id,
      causeExtract: null,
      holdReasons,
      facts: { releaseDate: o.releaseDate, reason: o.oneOff.reason },
    });
  }
}

/**
 * Changes after payment: every released period of a DP whose calculation input changed since the
 * newest line for that period was computed is recomputed, and becomes an adjustment line or a
 * recovery proposal (returned).
 */
function planAdjustments(run: RunPlanning): PlannedRecovery[] {
  const { input } = run;
  const recoveries: PlannedRecovery[] = [];
  for (const g of input.released) {
    const dp = run.dpById.get(g.dpId);
    if (!dp || dp.basisHash === g.lastBasisHash) continue;
    const period = { start: g.periodStart, end: g.periodEnd };
    const { recomputed, causedByDeath } = recomputeForAdjustment(dp.calc, period);
    const decision = decideAdjustment({
      released: g,
      alreadyProposedRecoveryPence: g.proposedRecoveryPence,
      recomputed,
      causedByDeath,
      dpEnded: hasEnded(dp.calc, input.runDate),
      offsetOverpayments: input.settings.offsetOverpayments,
    });
    if (decision.action === 'NONE') continue;
    if (decision.action === 'RECOVERY') {
      recoveries.push({ dpId: g.dpId, reason: decision.reason, periodStart: g.periodStart, periodEnd: g.periodEnd, amountPence: decision.amountPence, causeExtract: dp.causeExtract });
      continue;
    }
    const payee = input.payees.get(dp.payeeId)!;
    const holdReasons = lineHoldReasons(
      { kind: 'ADJUSTMENT', periodStart: g.periodStart, periodEnd: g.periodEnd, payee: run.payeeFactsOf(dp, payee), dp: { start: dp.calc.start, end: dp.calc.end, missingFromLatestFull: dp.missingFromFull, deathCase: dp.deathCase } },
      run.holdSettings,
    );
    run.addLine(dp, 'ADJUSTMENT', g.periodStart, g.periodEnd, decision.amounts, {
      frequency: g.frequency,
      oneOffId: null,
      causeExtract: dp.causeExtract,
      holdReasons,
      facts: { releasedPayablePence: g.payablePence.toString(), recomputedPayablePence: recomputed.payablePence.toString() },
    });
  }
  return recoveries;
}

/** Lines an officer released since the last run: recomputed now and paid in this run (under the DP's current payee and coding). */
function planOfficerLines(run: RunPlanning): RunPlan['officerLines'] {
  const officerLines: RunPlan['officerLines'] = [];
  for (const l of run.input.officerReleased) {
    const dp = run.dpById.get(l.dpId);
    const amounts = recomputeReleased(l, dp?.calc);
    const coding = dp ? { payeeId: dp.payeeId, costCentre: dp.costCentre, glAccount: dp.glAccount } : null;
    const entry = { id: l.id, dpId: l.dpId, ...amounts, creditIndex: null as number | null, coding };
    officerLines.push(entry);
    if (amounts.payablePence !== 0n && dp) {
      run.payables.push({
        dpId: l.dpId, payeeId: dp.payeeId, kind: l.kind, periodStart: l.periodStart, periodEnd: l.periodEnd,
        costCentre: dp.costCentre, glAccount: dp.glAccount, payablePence: amounts.payablePence,
        assign: (i) => (entry.creditIndex = i),
      });
    }
  }
  return officerLines;
}

/** Per frequency, the total of the run's released REGULAR lines (the run hold compares them with the last run's). */
function regularTotalsOf(lines: PlannedLine[]): Map<Frequency, Pence> {
  const regularTotals = new Map<Frequency, Pence>();
  for (const l of lines) {
    if (l.kind !== 'REGULAR' || l.holdReasons.length) continue;
    regularTotals.set(l.frequency, (regularTotals.get(l.frequency) ?? 0n) + l.payablePence);
  }
  return regularTotals;
}

function recomputeReleased(l: OfficerReleasedLine, calc: DirectPaymentForCalc | undefined) {
  if (!calc) return { grossPence: 0n, contributionPence: 0n, payablePence: 0n };
  if (l.kind === 'REGULAR') {
    const a = periodTotals(calc, { start: l.periodStart, end: l.periodEnd });
    return { grossPence: a.grossPence, contributionPence: a.contributionPence, payablePence: a.payablePence };
  }
  if (l.kind === 'ONE_OFF') {
    const o = calc.oneOffs.find((x) => x.id === l.oneOffId);
    const amount = o?.amountPence ?? 0n;
    return { grossPence: amount, contributionPence: 0n, payablePence: amount };
  }
  // An adjustment is kept as decided: it is itself a difference against paid lines.
  return { grossPence: l.payablePence, contributionPence: 0n, payablePence: l.payablePence };
}

/**
 * One credit per payee: released lines (and offsets carried from earlier runs) net per DP;
 * a DP never contributes less than 0 and a credit is never negative.
 */
function buildCredits(input: RunInput, payables: Payable[]) {
  const byPayee = new Map<string, Payable[]>();
  for (const p of payables) {
    const list = byPayee.get(p.payeeId) ?? [];
    list.push(p);
    byPayee.set(p.payeeId, list);
  }
  const credits: PlannedCredit[] = [];
  const carry = new Map<string, Map<string, Pence>>();
  const openRecoveries = new Map<string, OpenOffsetRecovery[]>();
  for (const r of input.recoveryOffsets ?? []) openRecoveries.set(r.dpId, [...(openRecoveries.get(r.dpId) ?? []), r]);
  const deductions: RecoveryDeduction[] = [];
  let seq = input.nextRefSeq;
  for (const payeeId of [...byPayee.keys()].sort()) {
    const list = byPayee.get(payeeId)!.sort(
      (a, b) => (a.dpId < b.dpId ? -1 : a.dpId > b.dpId ? 1 : compareDates(a.periodStart, b.periodStart) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
    );
    // Offsets first (carried ones are untouched by recoveries), then what is left pays recoveries.
    const recovered = deductRecoveries(netPayeeCredit(list, input.carry.get(payeeId) ?? new Map()), openRecoveries);
    const netted = recovered.credit;
    deductions.push(...recovered.deductions);
    const payeeCarry = new Map<string, Pence>();
    for (const d of netted.perDp) if (d.carriedForwardPence !== 0n) payeeCarry.set(d.dpId, d.carriedForwardPence);
    carry.set(payeeId, payeeCarry);
    if (netted.creditPence <= 0n) {
      for (const p of list) p.assign(null);
      continue;
    }
    const payee = input.payees.get(payeeId)!;
    const index = credits.length + 1;
    const account = creditAccount(input, payee);
    const fileLines: CreditLine[] = [];
    for (const d of netted.perDp) {
      const mine = list.filter((p) => p.dpId === d.dpId);
      const positives = mine.filter((p) => p.payablePence > 0n);
      for (const p of positives) {
        fileLines.push({ dpId: p.dpId, kind: p.kind, periodStart: p.periodStart, periodEnd: p.periodEnd, costCentre: p.costCentre, glAccount: p.glAccount, payablePence: p.payablePence });
      }
      const offset = d.paidPence - positives.reduce((t, p) => t + p.payablePence, 0n);
      if (offset !== 0n) {
        const anchor = mine.find((p) => p.payablePence < 0n) ?? mine[0] ?? positives[0];
        fileLines.push({ dpId: d.dpId, kind: 'ADJUSTMENT', periodStart: anchor.periodStart, periodEnd: anchor.periodEnd, costCentre: anchor.costCentre, glAccount: anchor.glAccount, payablePence: offset });
      }
    }
    const ref = paymentRef(input.council, seq);
    seq += 1n;
    credits.push({ index, payeeId, ...account, paymentRef: ref, endToEndId: endToEndId(input.runId, index), amountPence: netted.creditPence, fileLines });
    for (const p of list) p.assign(index);
  }
  return { credits, carry, nextRefSeq: seq, deductions };
}

function creditAccount(input: RunInput, payee: LoadedPayee) {
  if (payee.accountType === 'CARD') {
    const provider = payee.cardProvider ?? '';
    const funding = input.settings.finance.cardProviders[provider];
    if (!funding) throw new RunPlanError(`card provider ${provider || '(none)'} of payee ${payee.payeeId} has no funding account in settings`);
    return {
      channel: 'CARD' as const,
      cardProvider: provider,
      cardAccountRef: payee.cardAccountRef,
      vendorNo: funding.vendorNo,
      sortCode: funding.sortCode,
      accountNumber: funding.accountNumber,
      accountName: funding.accountName,
      bankHash: null,
    };
  }
  if (!payee.sortCode || !payee.accountNumber || !payee.vendorNo) {
    throw new RunPlanError(`payee ${payee.payeeId} has no bank details or vendor but was not held`);
  }
  return {
    channel: 'BANK' as const,
    cardProvider: null,
    cardAccountRef: null,
    vendorNo: payee.vendorNo,
    sortCode: payee.sortCode,
    accountNumber: payee.accountNumber,
    accountName: payee.accountName ?? '',
    bankHash: payee.bankHash,
  };
}
