/**
 * The Invoice aggregate's SQL (invoice, invoice_line, reclaim_month, reclaim_held), and the care
 * records the reclaim reads. Amounts come back from pg as strings and become bigint here.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { lockCouncil } from '@dpb/persistence';
import { calcFromTerms } from '@dpb/payments/run/load';
import { BASIS_HASH_SQL } from '@dpb/payments/run/payment-run.repository';
import type { HeldMonth, HeldReason } from './rules/health-share';
import type { InvoicedSum, ReclaimDp } from './rules/plan';
import type { ReleasedGrossAdjustment, ReleasedGrossLine } from './rules/contribution';
import type { InvoiceBalance, Settlement, SettlementChange } from './rules/debt';
import type { Basis, Frequency, FundingStream } from '@dpb/care-records/model';

type Db = EntityManager | DataSource;

export type InvoiceKind = 'HEALTH_RECLAIM' | 'RECOVERY' | 'CONTRIBUTION';
export type InvoiceState = 'RAISED' | 'DELIVERED';

export interface InvoiceLineRow {
  lineNo: number;
  dpId: string;
  personId: string;
  /** Personal data: in the partner's schedule only, never logged. */
  nhsNumber: string | null;
  month: string;
  from: string;
  to: string;
  costPence: bigint;
  healthBasisPoints: bigint;
  amountPence: bigint;
  adjustment: boolean;
}

export interface InvoiceRow {
  id: string;
  council: string;
  kind: InvoiceKind;
  customer: string;
  periodFrom: string;
  periodTo: string;
  adjustmentsOnly: boolean;
  caseId: string | null;
  dpId: string | null;
  reason: string | null;
  raisedOn: string;
  totalPence: bigint;
  state: InvoiceState;
  lines: InvoiceLineRow[];
}

export interface ReclaimDpRow extends ReclaimDp {
  nhsNumber: string | null;
  basisHash: string;
}

/** Serialises invoice raising per council for the rest of the transaction. */
export async function lockCouncilInvoices(m: EntityManager, council: string): Promise<void> {
  await lockCouncil(m, 'invoices', council);
}

/**
 * Every JOINT and S117 DP of the council with its person's NHS check, by dpId; `settled` when its
 * basis (calculation input, NHS check, `settingsKey`) equals the one recorded by the last night.
 */
export async function loadReclaimDps(m: Db, council: string, settingsKey = ''): Promise<ReclaimDpRow[]> {
  const rows: {
    dp_id: string; person_id: string; frequency: Frequency; basis: Basis;
    funding_stream: FundingStream; start_date: string; end_date: string | null; date_of_death: string | null;
    terms: Parameters<typeof calcFromTerms>[0]['terms']; nhs_valid: boolean; nhs_number: string | null; basis_hash: string; settled: boolean;
  }[] = await m.query(
    `SELECT x.*, (b.basis_hash IS NOT DISTINCT FROM x.basis_hash) AS settled
       FROM (SELECT d.council, d.dp_id, d.person_id, d.frequency, d.basis, d.funding_stream, d.start_date::text, d.end_date::text, d.terms,
                    p.date_of_death::text, p.nhs_valid, p.nhs_number,
                    encode(sha256(convert_to(${BASIS_HASH_SQL} || '|' || p.nhs_valid::text || '|' || $2, 'UTF8')), 'hex') AS basis_hash
               FROM direct_payment d JOIN person p ON p.council = d.council AND p.person_id = d.person_id
              WHERE d.council = $1 AND d.funding_stream IN ('JOINT', 'S117')) x
       LEFT JOIN reclaim_dp_basis b ON b.council = x.council AND b.dp_id = x.dp_id
      ORDER BY x.dp_id`,
    [council, settingsKey],
  );
  return rows.map((r) => ({
    dp: calcFromTerms(r), personId: r.person_id, nhsValid: r.nhs_valid, nhsNumber: r.nhs_number, basisHash: r.basis_hash, settled: r.settled,
  }));
}

/**
 * Records the basis each recomputed DP's raised months were compared with tonight, and forgets DPs
 * no longer JOINT/S117 (`allDps`: every DP of tonight's reclaim), so they are recomputed if they return.
 */
export async function recordReclaimBasis(m: EntityManager, council: string, dps: { dpId: string; basisHash: string }[], allDps: string[]): Promise<void> {
  await m.query(`DELETE FROM reclaim_dp_basis WHERE council = $1 AND dp_id <> ALL($2::text[])`, [council, allDps]);
  if (!dps.length) return;
  await m.query(
    `INSERT INTO reclaim_dp_basis (council, dp_id, basis_hash) SELECT $1, * FROM unnest($2::text[], $3::text[])
     ON CONFLICT (council, dp_id) DO UPDATE SET basis_hash = EXCLUDED.basis_hash`,
    [council, dps.map((d) => d.dpId), dps.map((d) => d.basisHash)],
  );
}

export async function loadRaisedMonths(m: Db, council: string): Promise<Set<string>> {
  const rows: { month: string }[] = await m.query(`SELECT month FROM reclaim_month WHERE council = $1`, [council]);
  return new Set(rows.map((r) => r.month));
}

/** What was invoiced so far per (DP, partner, month), adjustments included; the percentage of the latest line. */
export async function loadInvoicedSums(m: Db, council: string, exceptDps: string[] = []): Promise<InvoicedSum[]> {
  const rows: { dp_id: string; customer: string; month: string; from: string; to: string; bp: number; cost: string; amount: string }[] = await m.query(
    `SELECT l.dp_id, i.customer, l.month, min(l.line_from)::text AS from, max(l.line_to)::text AS to,
            (array_agg(l.health_bp ORDER BY i.raised_on DESC, i.id DESC, l.line_no DESC))[1] AS bp,
            sum(l.cost_pence)::text AS cost, sum(l.amount_pence)::text AS amount
       FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
      WHERE i.council = $1 AND i.kind = 'HEALTH_RECLAIM' AND l.dp_id <> ALL($2::text[])
      GROUP BY l.dp_id, i.customer, l.month`,
    [council, exceptDps],
  );
  return rows.map((r) => ({
    dpId: r.dp_id, partner: r.customer, month: r.month, from: r.from, to: r.to,
    healthBasisPoints: BigInt(r.bp), costPence: BigInt(r.cost), amountPence: BigInt(r.amount),
  }));
}

/** Inserts an invoice and its lines; false (nothing written) when the same invoice exists already. */
export async function insertInvoice(m: EntityManager, inv: NewInvoice): Promise<boolean> {
  return (await insertInvoices(m, [inv])).size > 0;
}

/** An invoice to raise, with its lines. */
export type NewInvoice = Omit<InvoiceRow, 'state'> & { adjustsLine?: string };

/**
 * Raises the invoices the database does not refuse (one already raised for the same key is left as
 * it is), with their lines: two statements however many. The ids of the invoices raised now.
 */
export async function insertInvoices(m: EntityManager, invs: readonly NewInvoice[]): Promise<Set<string>> {
  if (!invs.length) return new Set();
  const col = <T>(f: (inv: NewInvoice) => T): T[] => invs.map(f);
  const inserted: { id: string }[] = await m.query(
    `INSERT INTO invoice (id, council, kind, customer, period_from, period_to, adjustments_only, case_id, dp_id, reason, raised_on, total_pence, adjusts_line)
     SELECT id, council, kind, customer, period_from, period_to, adjustments_only, case_id, dp_id, reason, raised_on, total_pence, adjusts_line
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::boolean[], $8::text[], $9::text[], $10::text[],
                   $11::date[], $12::bigint[], $13::bigint[])
            WITH ORDINALITY AS u(id, council, kind, customer, period_from, period_to, adjustments_only, case_id, dp_id, reason, raised_on, total_pence, adjusts_line, n)
      ORDER BY n
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      col((i) => i.id), col((i) => i.council), col((i) => i.kind), col((i) => i.customer), col((i) => i.periodFrom), col((i) => i.periodTo),
      col((i) => i.adjustmentsOnly), col((i) => i.caseId), col((i) => i.dpId), col((i) => i.reason), col((i) => i.raisedOn),
      col((i) => i.totalPence.toString()), col((i) => i.adjustsLine ?? null),
    ],
  );
  const created = new Set(inserted.map((r) => r.id));
  const lines = invs.filter((inv) => created.has(inv.id)).flatMap((inv) => inv.lines.map((l) => ({ invoiceId: inv.id, ...l })));
  if (lines.length) {
    const lc = <T>(f: (l: (typeof lines)[number]) => T): T[] => lines.map(f);
    await m.query(
      `INSERT INTO invoice_line (invoice_id, line_no, dp_id, person_id, nhs_number, month, line_from, line_to, cost_pence, health_bp, amount_pence, adjustment)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::bigint[], $10::int[], $11::bigint[], $12::boolean[])`,
      [
        lc((l) => l.invoiceId), lc((l) => l.lineNo), lc((l) => l.dpId), lc((l) => l.personId), lc((l) => l.nhsNumber), lc((l) => l.month),
        lc((l) => l.from), lc((l) => l.to), lc((l) => l.costPence.toString()), lc((l) => Number(l.healthBasisPoints)), lc((l) => l.amountPence.toString()),
        lc((l) => l.adjustment),
      ],
    );
  }
  return created;
}

export async function markMonthsRaised(m: EntityManager, council: string, months: string[], night: string): Promise<void> {
  if (!months.length) return;
  await m.query(
    `INSERT INTO reclaim_month (council, month, raised_on) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
    [council, months, night],
  );
}

/**
 * Replaces the held DP-months of every DP but the settled ones (whose earlier months were not
 * recomputed) with tonight's, and adds tonight's months of the settled ones.
 */
export async function replaceHeld(m: EntityManager, council: string, held: HeldMonth[], settledDps: string[]): Promise<void> {
  await m.query(`DELETE FROM reclaim_held WHERE council = $1 AND dp_id <> ALL($2::text[])`, [council, settledDps]);
  if (!held.length) return;
  await m.query(
    `INSERT INTO reclaim_held (council, dp_id, month, reason, days)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[])
     ON CONFLICT (council, dp_id, month) DO UPDATE SET reason = EXCLUDED.reason, days = EXCLUDED.days`,
    [council, held.map((h) => h.dpId), held.map((h) => h.month), held.map((h) => h.reason), held.map((h) => h.days)],
  );
}

export async function listHeld(db: Db, council?: string): Promise<(HeldMonth & { council: string })[]> {
  const rows: { council: string; dp_id: string; month: string; reason: HeldReason; days: number }[] = await db.query(
    `SELECT council, dp_id, month, reason, days FROM reclaim_held WHERE ($1::text IS NULL OR council = $1) ORDER BY council, dp_id, month`,
    [council ?? null],
  );
  return rows.map((r) => ({ council: r.council, dpId: r.dp_id, month: r.month, reason: r.reason, days: r.days }));
}

interface InvoiceDbRow {
  id: string; council: string; kind: InvoiceKind; customer: string; period_from: string; period_to: string; adjustments_only: boolean;
  case_id: string | null; dp_id: string | null; reason: string | null; raised_on: string; total_pence: string; state: InvoiceState;
}
interface LineDbRow {
  invoice_id: string; line_no: number; dp_id: string; person_id: string; nhs_number: string | null; month: string; from: string; to: string;
  cost_pence: string; health_bp: number; amount_pence: string; adjustment: boolean;
}

/** Invoices matching the filter with their lines (by dpId, then from), ordered by council, raised_on, id. */
export async function findInvoices(db: Db, f: { council?: string; kind?: InvoiceKind; raisedOn?: string; id?: string; arBatch?: string }): Promise<InvoiceRow[]> {
  const heads: InvoiceDbRow[] = await db.query(
    `SELECT id, council, kind, customer, period_from::text, period_to::text, adjustments_only, case_id, dp_id, reason, raised_on::text,
            total_pence::text, state
       FROM invoice
      WHERE ($1::text IS NULL OR council = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::date IS NULL OR raised_on = $3)
        AND ($4::text IS NULL OR id = $4) AND ($5::text IS NULL OR ar_batch = $5)
      ORDER BY council, raised_on, id`,
    [f.council ?? null, f.kind ?? null, f.raisedOn ?? null, f.id ?? null, f.arBatch ?? null],
  );
  if (!heads.length) return [];
  const lines: LineDbRow[] = await db.query(
    `SELECT invoice_id, line_no, dp_id, person_id, nhs_number, month, line_from::text AS from, line_to::text AS to,
            cost_pence::text, health_bp, amount_pence::text, adjustment
       FROM invoice_line WHERE invoice_id = ANY($1::text[]) ORDER BY invoice_id, line_no`,
    [heads.map((h) => h.id)],
  );
  const byInvoice = new Map<string, InvoiceLineRow[]>();
  for (const l of lines) {
    const a = byInvoice.get(l.invoice_id) ?? [];
    byInvoice.set(l.invoice_id, a);
    a.push({
      lineNo: l.line_no, dpId: l.dp_id, personId: l.person_id, nhsNumber: l.nhs_number, month: l.month.trim(), from: l.from, to: l.to,
      costPence: BigInt(l.cost_pence), healthBasisPoints: BigInt(l.health_bp), amountPence: BigInt(l.amount_pence), adjustment: l.adjustment,
    });
  }
  return heads.map((h) => ({
    id: h.id, council: h.council, kind: h.kind, customer: h.customer, periodFrom: h.period_from, periodTo: h.period_to,
    adjustmentsOnly: h.adjustments_only, caseId: h.case_id, dpId: h.dp_id, reason: h.reason, raisedOn: h.raised_on,
    totalPence: BigInt(h.total_pence), state: h.state, lines: byInvoice.get(h.id) ?? [],
  }));
}

export async function markDelivered(db: Db, ids: string[]): Promise<void> {
  if (ids.length) await db.query(`UPDATE invoice SET state = 'DELIVERED' WHERE id = ANY($1::text[]) AND state = 'RAISED'`, [ids]);
}

/** The person of each DP (the debtor of a recovery invoice). */
export async function personsOfDps(db: Db, council: string, dpIds: string[]): Promise<Map<string, string>> {
  if (!dpIds.length) return new Map();
  const rows: { dp_id: string; person_id: string }[] = await db.query(
    `SELECT dp_id, person_id FROM direct_payment WHERE council = $1 AND dp_id = ANY($2::text[])`,
    [council, dpIds],
  );
  return new Map(rows.map((r) => [r.dp_id, r.person_id]));
}

/** Cases already invoiced (RECOVERY), of those given. */
export async function invoicedCases(db: Db, council: string, caseIds: string[]): Promise<Set<string>> {
  if (!caseIds.length) return new Set();
  const rows: { case_id: string }[] = await db.query(
    `SELECT case_id FROM invoice WHERE council = $1 AND kind = 'RECOVERY' AND case_id = ANY($2::text[])`,
    [council, caseIds],
  );
  return new Set(rows.map((r) => r.case_id));
}

/**
 * Released REGULAR lines of GROSS DPs (in a released or delivered run dated on or before the
 * night) with a contribution and no CONTRIBUTION invoice yet, by DP and period.
 */
export async function releasedGrossLinesToInvoice(db: Db, council: string, nightDate: string): Promise<ReleasedGrossLine[]> {
  const rows: { dp_id: string; person_id: string; basis: Basis; funding_stream: FundingStream; period_start: string; period_end: string; contribution_pence: string }[] =
    await db.query(
      `SELECT l.dp_id, l.person_id, d.basis, d.funding_stream, l.period_start::text, l.period_end::text, l.contribution_pence::text
         FROM payment_line l
         JOIN payment_run r ON r.run_id = l.released_run_id
         JOIN direct_payment d ON d.council = l.council AND d.dp_id = l.dp_id
        WHERE l.council = $1 AND l.kind = 'REGULAR' AND l.state = 'RELEASED' AND r.state IN ('RELEASED', 'DELIVERED') AND r.run_date <= $2
          AND d.basis = 'GROSS' AND l.contribution_pence > 0
          AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.council = l.council AND i.kind = 'CONTRIBUTION' AND i.dp_id = l.dp_id
                             AND i.period_from = l.period_start AND i.period_to = l.period_end AND i.adjusts_line IS NULL)
        ORDER BY l.dp_id, l.period_start`,
      [council, nightDate],
    );
  return rows.map((r) => ({
    dpId: r.dp_id, personId: r.person_id, basis: r.basis, fundingStream: r.funding_stream, periodStart: r.period_start, periodEnd: r.period_end,
    contributionPence: BigInt(r.contribution_pence),
  }));
}

/**
 * Released ADJUSTMENT lines of GROSS DPs (in a released or delivered run dated on or before the
 * night) whose contribution changed (not 0) and that no CONTRIBUTION invoice adjusts yet, by DP,
 * period and line.
 */
export async function releasedGrossAdjustmentsToInvoice(db: Db, council: string, nightDate: string): Promise<ReleasedGrossAdjustment[]> {
  const rows: { id: string; dp_id: string; person_id: string; basis: Basis; funding_stream: FundingStream; period_start: string; period_end: string; contribution_pence: string }[] =
    await db.query(
      `SELECT l.id::text, l.dp_id, l.person_id, d.basis, d.funding_stream, l.period_start::text, l.period_end::text, l.contribution_pence::text
         FROM payment_line l
         JOIN payment_run r ON r.run_id = l.released_run_id
         JOIN direct_payment d ON d.council = l.council AND d.dp_id = l.dp_id
        WHERE l.council = $1 AND l.kind = 'ADJUSTMENT' AND l.state = 'RELEASED' AND r.state IN ('RELEASED', 'DELIVERED') AND r.run_date <= $2
          AND d.basis = 'GROSS' AND l.contribution_pence <> 0
          AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.council = l.council AND i.adjusts_line = l.id)
        ORDER BY l.dp_id, l.period_start, l.id`,
      [council, nightDate],
    );
  return rows.map((r) => ({
    lineId: r.id, dpId: r.dp_id, personId: r.person_id, basis: r.basis, fundingStream: r.funding_stream, periodStart: r.period_start, periodEnd: r.period_end,
    contributionPence: BigInt(r.contribution_pence),
  }));
}

/** Every invoice of the council with what finance last said was paid. */
export async function loadBalances(db: Db, council: string): Promise<InvoiceBalance[]> {
  const rows: { id: string; raised_on: string; total_pence: string; paid_pence: string; settlement: Settlement }[] = await db.query(
    `SELECT id, raised_on::text, total_pence::text, paid_pence::text, settlement FROM invoice WHERE council = $1 ORDER BY id`,
    [council],
  );
  return rows.map((r) => ({ id: r.id, raisedOn: r.raised_on, totalPence: BigInt(r.total_pence), paidPence: BigInt(r.paid_pence), settlement: r.settlement }));
}

export async function applySettlements(m: EntityManager, council: string, changes: SettlementChange[], asOf: string, fileId: string): Promise<void> {
  if (!changes.length) return;
  await m.query(
    `UPDATE invoice i SET paid_pence = c.paid, settlement = c.settlement, settled_as_of = $2, settled_by_file = $3
       FROM unnest($4::text[], $5::bigint[], $6::text[]) AS c(id, paid, settlement)
      WHERE i.council = $1 AND i.id = c.id`,
    [council, asOf, fileId, changes.map((c) => c.id), changes.map((c) => c.paidPence.toString()), changes.map((c) => c.settlement)],
  );
}

export async function councilsWithInvoices(db: Db): Promise<string[]> {
  const rows: { council: string }[] = await db.query(`SELECT DISTINCT council FROM invoice ORDER BY council`);
  return rows.map((r) => r.council);
}

export interface ArBatchRow {
  id: string;
  nightDate: string;
}

/**
 * Puts the council's invoices that are in no batch yet into the night's next batch (under the
 * council's invoice lock); none when there are none.
 */
export async function assignArBatch(m: EntityManager, council: string, nightDate: string): Promise<void> {
  const [{ n }]: { n: string }[] = await m.query(`SELECT count(*)::text AS n FROM invoice WHERE council = $1 AND ar_batch IS NULL`, [council]);
  if (n === '0') return;
  const [{ seq }]: { seq: number }[] = await m.query(
    `SELECT coalesce(max(sequence), 0) + 1 AS seq FROM ar_batch WHERE council = $1 AND night_date = $2`,
    [council, nightDate],
  );
  const id = `${council}-AR-${nightDate.replace(/-/g, '')}-${seq}`;
  await m.query(`INSERT INTO ar_batch (id, council, night_date, sequence) VALUES ($1, $2, $3, $4)`, [id, council, nightDate, seq]);
  await m.query(`UPDATE invoice SET ar_batch = $2 WHERE council = $1 AND ar_batch IS NULL`, [council, id]);
}

/** Batches holding invoices not yet delivered, oldest first. */
export async function undeliveredArBatches(db: Db, council: string): Promise<ArBatchRow[]> {
  const rows: { id: string; night_date: string }[] = await db.query(
    `SELECT b.id, b.night_date::text FROM ar_batch b
      WHERE b.council = $1 AND EXISTS (SELECT 1 FROM invoice i WHERE i.ar_batch = b.id AND i.state = 'RAISED')
      ORDER BY b.night_date, b.sequence`,
    [council],
  );
  return rows.map((r) => ({ id: r.id, nightDate: r.night_date }));
}
