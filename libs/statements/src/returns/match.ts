import type { EntityManager } from 'typeorm';

export interface ReturnMatchSummary {
  matched: number;
  unmatched: number;
  payeesBlocked: number;
  deathAlerts: number;
  amountDisagrees: number;
}

/**
 * Matches every UNMATCHED Bacs return of a council to the credit it returns: by EndToEndId first
 * (the return's EndToEndId, or its reference when the bank put our EndToEndId there), else by
 * payment reference (upper-cased, trimmed). A match blocks the payee's bank details
 * (`payee.bacs_return_blocked`, so the payment stage holds that payee's lines); a deceased reason
 * (ARUCS 2, ISO MD07) also opens a DEATH_WORKFLOW `return_alert` (one open per payee).
 * A return whose amount differs from the credit is still matched (the payee is blocked either
 * way) and flagged `amount_agrees = false` for reconciliation. Idempotent: run it as often as needed.
 */
export async function matchReturns(m: EntityManager, council: string): Promise<ReturnMatchSummary> {
  const cand: {
    id: string; credit_id: string; payee_id: string; by: 'END_TO_END_ID' | 'PAYMENT_REF'; agrees: boolean; deceased: boolean;
  }[] = await m.query(
    `SELECT r.id, c.id AS credit_id, c.payee_id, c.by, (c.amount_pence = r.amount_minor) AS agrees, r.deceased
       FROM bacs_return r
       JOIN LATERAL (
         SELECT x.id, x.payee_id, x.amount_pence,
                CASE WHEN x.end_to_end_id IN (r.end_to_end_id, btrim(r.reference)) THEN 'END_TO_END_ID' ELSE 'PAYMENT_REF' END AS by
           FROM credit x
          WHERE x.council = r.council
            AND (x.end_to_end_id = r.end_to_end_id OR x.end_to_end_id = btrim(r.reference) OR x.payment_ref = upper(btrim(r.reference)))
          ORDER BY (x.end_to_end_id IN (r.end_to_end_id, btrim(r.reference))) DESC NULLS LAST, x.id DESC
          LIMIT 1) c ON true
      WHERE r.council = $1 AND r.state = 'UNMATCHED'
      ORDER BY r.id
      FOR UPDATE OF r`,
    [council],
  );
  const out: ReturnMatchSummary = { matched: 0, unmatched: 0, payeesBlocked: 0, deathAlerts: 0, amountDisagrees: 0 };
  for (const c of cand) {
    await m.query(
      `UPDATE bacs_return SET state = 'MATCHED', credit_id = $2, payee_id = $3, matched_by = $4, amount_agrees = $5, matched_at = now()
        WHERE id = $1`,
      [c.id, c.credit_id, c.payee_id, c.by, c.agrees],
    );
    out.matched++;
    if (!c.agrees) out.amountDisagrees++;
    const blocked: unknown[] = await m.query(
      `WITH u AS (UPDATE payee SET bacs_return_blocked = true WHERE council = $1 AND payee_id = $2 AND NOT bacs_return_blocked RETURNING 1)
       SELECT 1 FROM u`,
      [council, c.payee_id],
    );
    out.payeesBlocked += blocked.length;
    if (c.deceased) {
      const alert: unknown[] = await m.query(
        `INSERT INTO return_alert (council, bacs_return_id, payee_id, kind) VALUES ($1, $2, $3, 'DEATH_WORKFLOW')
         ON CONFLICT (council, payee_id, kind) WHERE state = 'OPEN' DO NOTHING RETURNING id`,
        [council, c.id, c.payee_id],
      );
      out.deathAlerts += alert.length;
    }
  }
  const left: { n: string }[] = await m.query(`SELECT count(*) AS n FROM bacs_return WHERE council = $1 AND state = 'UNMATCHED'`, [council]);
  out.unmatched = Number(left[0]?.n ?? 0);
  return out;
}
