/** The Bacs return aggregate's SQL: bacs_return, the payee block it causes and its death-workflow alert. */
import type { EntityManager } from 'typeorm';
import type { ReturnDraft } from './from-statement';

/** Stores advised returns (UNMATCHED); a return already stored under its item key is skipped. Returns rows inserted. */
export async function insertReturns(
  m: EntityManager,
  a: { council: string; fileId: string; drafts: { draft: ReturnDraft; bankEntryId: string | null }[] },
): Promise<number> {
  let inserted = 0;
  for (const { draft: d, bankEntryId } of a.drafts) {
    const rows: unknown[] = await m.query(
      `INSERT INTO bacs_return (council, source, item_key, inbound_file_id, bank_entry_id, line_no, reference, end_to_end_id,
         amount_minor, reason_code, deceased, return_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (council, source, item_key) DO NOTHING RETURNING id`,
      [a.council, d.source, d.itemKey, a.fileId, bankEntryId, d.lineNo, d.reference, d.endToEndId, d.amountMinor.toString(),
        d.reasonCode, d.deceased, d.returnDate],
    );
    inserted += rows.length;
  }
  return inserted;
}

/** An UNMATCHED return and the credit it returns (by EndToEndId first, else payment reference). */
export interface ReturnMatchRow {
  id: string;
  credit_id: string;
  payee_id: string;
  by: 'END_TO_END_ID' | 'PAYMENT_REF';
  /** The returned amount equals the credit's. */
  agrees: boolean;
  deceased: boolean;
}

/** The council's UNMATCHED returns that find their credit, locked for update. */
export async function returnMatchCandidates(m: EntityManager, council: string): Promise<ReturnMatchRow[]> {
  return m.query(
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
}

export async function markReturnMatched(m: EntityManager, c: ReturnMatchRow): Promise<void> {
  await m.query(
    `UPDATE bacs_return SET state = 'MATCHED', credit_id = $2, payee_id = $3, matched_by = $4, amount_agrees = $5, matched_at = now()
      WHERE id = $1`,
    [c.id, c.credit_id, c.payee_id, c.by, c.agrees],
  );
}

/** Blocks the payee's bank details; true when they were not blocked before. */
export async function blockPayeeBankDetails(m: EntityManager, council: string, payeeId: string): Promise<boolean> {
  const blocked: unknown[] = await m.query(
    `WITH u AS (UPDATE payee SET bacs_return_blocked = true WHERE council = $1 AND payee_id = $2 AND NOT bacs_return_blocked RETURNING 1)
     SELECT 1 FROM u`,
    [council, payeeId],
  );
  return blocked.length > 0;
}

/** Opens a DEATH_WORKFLOW alert for the payee unless one is open; true when opened. */
export async function openDeathAlert(m: EntityManager, council: string, returnId: string, payeeId: string): Promise<boolean> {
  const alert: unknown[] = await m.query(
    `INSERT INTO return_alert (council, bacs_return_id, payee_id, kind) VALUES ($1, $2, $3, 'DEATH_WORKFLOW')
     ON CONFLICT (council, payee_id, kind) WHERE state = 'OPEN' DO NOTHING RETURNING id`,
    [council, returnId, payeeId],
  );
  return alert.length > 0;
}

export async function countUnmatchedReturns(m: EntityManager, council: string): Promise<number> {
  const left: { n: string }[] = await m.query(`SELECT count(*) AS n FROM bacs_return WHERE council = $1 AND state = 'UNMATCHED'`, [council]);
  return Number(left[0]?.n ?? 0);
}
