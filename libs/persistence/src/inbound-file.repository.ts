import type { EntityManager } from 'typeorm';

/**
 * Reads of the inbound-file ledger (`inbound_file`) for checks outside the intake. The intake's own
 * claims and outcomes are in `file-ledger.ts`.
 */

/** How many files of one source were taken for the council after `fromMs` (epoch ms), whatever their outcome. */
export async function countInboundFilesSince(m: EntityManager, source: string, council: string, fromMs: number): Promise<number> {
  const rows: { n: number }[] = await m.query(
    `SELECT count(*)::int AS n FROM inbound_file WHERE source = $1 AND council = $2 AND created_at > to_timestamp($3::double precision / 1000)`,
    [source, council, fromMs],
  );
  return rows[0]?.n ?? 0;
}
