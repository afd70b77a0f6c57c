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
