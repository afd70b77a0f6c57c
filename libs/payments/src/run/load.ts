/**
 * Loads what planRun needs for one council from Postgres, inside the run's transaction.
 * Amounts come back from pg as strings and become bigint here; dates stay 'YYYY-MM-DD'.
 */
import type { EntityManager } from 'typeorm';
import { BacsCalendar, type Pence } from '@dpb/common';
import type { TermsJson } from '@dpb/care-records/terms-json';
import type { Basis, CouncilSettings, DirectPaymentForCalc, Frequency, FundingStream, Taken } from '../rules';
import type { LoadedDp, LoadedPayee, OfficerReleasedLine, ReleasedGroup, RunInput } from './plan';
// The case repository imports nothing of payments but officer/db.ts (no cycle with the cases service).
import { dpsWithOpenDeathCase } from '@dpb/cases/case.repository';
import { openOffsetRecoveries } from '@dpb/cases/recovery.repository';

/** direct_payment.terms: the one terms document, written by the care-records import. */
export type { TermsJson };

interface DpRow {
  dp_id: string;
  person_id: string;
  payee_id: string;
  frequency: Frequency;
  basis: Basis;
  funding_stream: FundingStream;
  cost_centre: string;
  gl_account: string;
  start_date: string;
  end_date: string | null;
  terms: TermsJson;
  missing_from_full: boolean;
  cause_extract: string;
  date_of_death: string | null;
}

export function calcFromTerms(r: Pick<DpRow, 'dp_id' | 'frequency' | 'basis' | 'funding_stream' | 'start_date' | 'end_date' | 'date_of_death' | 'terms'>): DirectPaymentForCalc {
  const t = r.terms;
  return {
    dpId: r.dp_id,
    frequency: r.frequency,
    basis: r.basis,
    fundingStream: r.funding_stream,
    start: r.start_date,
    end: r.end_date,
    dateOfDeath: r.date_of_death,
    rates: t.rates.map((x) => ({ from: x.from, weeklyGrossPence: BigInt(x.weeklyGross) })),
    contributions: t.contributions.map((x) => ({ from: x.from, weeklyPence: BigInt(x.weekly) })),
    suspensions: t.suspensions.map((x) => ({ from: x.from, to: x.to, reason: x.reason })),
    oneOffs: t.oneOffs.map((x) => ({ id: x.id, payDate: x.payDate, amountPence: BigInt(x.amount), reason: x.reason })),
    splits: t.splits.map((x) => ({ partner: x.partner, from: x.from, healthBasisPoints: BigInt(x.healthPctBp) })),
  };
}

/**
 * Identifies a DP's calculation input (its frequency, dates, basis, funding, terms and the
 * person's date of death): lines computed from equal inputs carry equal hashes. Computed by Postgres over the stored
 * row (`terms` is jsonb, so its text is canonical); `d` is direct_payment, `p` is person.
 */
export const BASIS_HASH_SQL = `encode(sha256(convert_to(concat_ws('|', d.dp_id, d.frequency, d.basis, d.funding_stream,
  d.start_date::text, coalesce(d.end_date::text, '-'), coalesce(p.date_of_death::text, '-'), d.terms::text), 'UTF8')), 'hex')`;

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
  const [r]: { run_date: string | null; period_grid: string | null; later: boolean }[] = await m.query(
    `SELECT p.run_date, p.period_grid, EXISTS (SELECT 1 FROM payment_run WHERE council = $1 AND run_date >= $2) AS later
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (SELECT run_date, period_grid FROM payment_run WHERE council = $1 AND run_date < $2
                           ORDER BY run_date DESC, sequence DESC LIMIT 1) p ON true`,
    [council, runDate],
  );
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows typed where awaited, as m.query's are
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
  const sent = {
    rows: send(
      `SELECT d.dp_id, d.person_id, d.payee_id, d.frequency, d.basis, d.funding_stream, d.cost_centre, d.gl_account,
            d.start_date, d.end_date, d.terms, d.missing_from_full,
            greatest(d.extract_ref, p.extract_ref)::text AS cause_extract, p.date_of_death,
            ${BASIS_HASH_SQL} AS basis_hash_calc,
            y.account_type, y.vendor_no, y.modulus_valid, y.bacs_return_blocked, y.bank_hash,
            y.sort_code, y.account_number, y.account_name, y.card_provider, y.card_account_ref
       FROM direct_payment d
       JOIN person p ON p.council = d.council AND p.person_id = d.person_id
       JOIN payee y ON y.council = d.council AND y.payee_id = d.payee_id
      WHERE d.council = $1
      ORDER BY d.dp_id`,
      [council],
    ),
    // Per payee, the newest BANK credit (an index descent each: flat as credits accumulate).
    lastCredit: send(
      `SELECT y.payee_id, c.bank_hash FROM payee y
         CROSS JOIN LATERAL (SELECT bank_hash FROM credit c
                              WHERE c.council = y.council AND c.payee_id = y.payee_id AND c.channel = 'BANK'
                              ORDER BY c.id DESC LIMIT 1) c
        WHERE y.council = $1`,
      [council],
    ),
    checked: send(
      `SELECT dp_id, basis_hash, calc_stored FROM dp_checked_basis WHERE council = $1`,
      [council],
    ),
    // Periods after the horizon (all of them without one) and every one-off; DPs walked from
    // go-live despite a horizon get their earlier periods below.
    takenRows: send(
      horizon === null
        ? `SELECT dp_id, kind, period_start, one_off_id FROM payment_line WHERE council = $1 AND kind IN ('REGULAR', 'ONE_OFF')`
        : `SELECT dp_id, kind, period_start, one_off_id FROM payment_line
            WHERE council = $1 AND ((kind = 'REGULAR' AND period_start > $2) OR kind = 'ONE_OFF')`,
      horizon === null ? [council] : [council, horizon],
    ),
    // Per DP, its latest REGULAR line that was not cancelled (an index descent each).
    prevRows: send(
      `SELECT d.dp_id, l.payable_pence, l.period_end, l.facts->>'payableDays' AS payable_days, l.facts->>'periodDays' AS period_days
         FROM direct_payment d
         CROSS JOIN LATERAL (SELECT payable_pence, period_end, facts FROM payment_line l
                              WHERE l.council = d.council AND l.dp_id = d.dp_id AND l.kind = 'REGULAR' AND l.state <> 'CANCELLED'
                              ORDER BY l.period_start DESC LIMIT 1) l
        WHERE d.council = $1`,
      [council],
    ),
    officer: send(
      `SELECT id, dp_id, kind, period_start, period_end, one_off_id, payable_pence FROM payment_line
        WHERE council = $1 AND state = 'RELEASED' AND released_run_id IS NULL ORDER BY id`,
      [council],
    ),
    carryRows: send(
      `SELECT payee_id, dp_id, amount_pence FROM payee_carry WHERE council = $1`,
      [council],
    ),
    runs: send(
      `SELECT regular_totals FROM payment_run WHERE council = $1 AND run_date < $2 ORDER BY run_date DESC, sequence DESC`,
      [council, runDate],
    ),
    counter: send(`SELECT next FROM payment_ref_counter WHERE council = $1`, [council]),
    // DPs named by a DEATH case not yet closed: their lines are held (DEATH_CASE).
    deathCase: quiet(dpsWithOpenDeathCase({ query: send }, council)),
    // APPROVED cases recovered from later payments (docs/reclaims.md).
    recoveryOffsets: quiet(openOffsetRecoveries({ query: send }, council)),
  };
  const rows: (DpRow & {
    account_type: LoadedPayee['accountType'];
    vendor_no: string | null;
    modulus_valid: boolean | null;
    bacs_return_blocked: boolean;
    bank_hash: string | null;
    sort_code: string | null;
    account_number: string | null;
    account_name: string | null;
    card_provider: string | null;
    card_account_ref: string | null;
    basis_hash_calc: string;
  })[] = await sent.rows;
  const lastCredit: { payee_id: string; bank_hash: string | null }[] = await sent.lastCredit;
  const lastHash = new Map(lastCredit.map((r) => [r.payee_id, r.bank_hash]));

  // Released periods are recomputed only for DPs whose calculation input changed since they were
  // last checked (dp_checked_basis), so a quiet night does not re-read every paid period.
  const checked: { dp_id: string; basis_hash: string; calc_stored: boolean }[] = await sent.checked;
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

  type TakenRow = { dp_id: string; kind: string; period_start: string; one_off_id: string | null };
  const taken = new Map<string, { regularPeriodStarts: Set<string>; oneOffIds: Set<string> }>();
  const addTaken = (rows: TakenRow[]) => {
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
    addTaken(
      await send(
        `SELECT dp_id, kind, period_start, NULL AS one_off_id FROM payment_line
          WHERE council = $1 AND kind = 'REGULAR' AND dp_id = ANY ($2) AND period_start <= $3`,
        [council, fullWalk, horizon],
      ),
    );
  }

  const prevRows: { dp_id: string; payable_pence: string; period_end: string; payable_days: string; period_days: string }[] = await sent.prevRows;
  const previousRegular = new Map(
    prevRows.map((r) => [r.dp_id, { payablePence: big(r.payable_pence), payableDays: Number(r.payable_days), periodDays: Number(r.period_days), periodEnd: r.period_end }]),
  );

  const changed = dps.filter((d) => d.checkedBasisHash !== null && d.checkedBasisHash !== d.basisHash).map((d) => d.calc.dpId);
  const released: ReleasedGroup[] = [];
  if (changed.length) {
    const groups: { dp_id: string; period_start: string; period_end: string; frequency: Frequency; gross: string; contribution: string; payable: string; last_basis: string; recovered: string }[] = await send(
      `SELECT l.dp_id, l.period_start, l.period_end, min(l.frequency) AS frequency,
              sum(l.gross_pence) AS gross, sum(l.contribution_pence) AS contribution, sum(l.payable_pence) AS payable,
              (array_agg(l.basis_hash ORDER BY l.id DESC))[1] AS last_basis,
              coalesce((SELECT sum(r.amount_pence) FROM recovery_proposal r
                         WHERE r.council = l.council AND r.dp_id = l.dp_id AND r.period_start = l.period_start
                           AND r.state <> 'REJECTED'), 0) AS recovered
         FROM payment_line l
        WHERE l.council = $1 AND l.dp_id = ANY ($2) AND l.state = 'RELEASED' AND l.released_run_id IS NOT NULL
          AND l.kind IN ('REGULAR', 'ADJUSTMENT')
        GROUP BY l.council, l.dp_id, l.period_start, l.period_end
        ORDER BY l.dp_id, l.period_start`,
      [council, changed],
    );
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

  const officer: { id: string; dp_id: string; kind: OfficerReleasedLine['kind']; period_start: string; period_end: string; one_off_id: string | null; payable_pence: string }[] = await sent.officer;
  const carryRows: { payee_id: string; dp_id: string; amount_pence: string }[] = await sent.carryRows;
  const carry = new Map<string, Map<string, Pence>>();
  for (const c of carryRows) {
    if (!carry.has(c.payee_id)) carry.set(c.payee_id, new Map());
    carry.get(c.payee_id)!.set(c.dp_id, big(c.amount_pence));
  }
  const runs: { regular_totals: Record<string, string> }[] = await sent.runs;
  const previousRegularTotals = new Map<Frequency, Pence>();
  for (const r of runs) {
    for (const [f, v] of Object.entries(r.regular_totals ?? {})) {
      if (!previousRegularTotals.has(f as Frequency)) previousRegularTotals.set(f as Frequency, big(v));
    }
  }
  const counter: { next: string }[] = await sent.counter;

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
