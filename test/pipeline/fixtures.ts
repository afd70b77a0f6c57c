/**
 * Bank-in spec fixture: a released credit (and the care rows it needs) seeded straight into the
 * test database, for Bacs return matching.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Seeds one released credit (and the care rows it needs) for return matching. */
export async function seedCredit(
  ds: DataSource,
  a: { council: string; payeeId: string; paymentRef: string; endToEndId: string; amountPence: bigint },
): Promise<string> {
  const sha = randomBytes(32).toString('hex');
  const [file] = await ds.query(
    `INSERT INTO inbound_file (source, council, name, size, sha256, state, format) VALUES ('care', $1, 'seed.xml', 1, $2, 'APPLIED', 'mosaic-xml') RETURNING id`,
    [a.council, sha],
  );
  const [ext] = await ds.query(
    `INSERT INTO care_extract (council, extract_id, kind, generated_at, extract_date, inbound_file_id, persons, payees, direct_payments)
     VALUES ($1, $2, 'FULL', now(), '2026-11-01', $3, 0, 1, 0) RETURNING id`,
    [a.council, `X-${sha.slice(0, 8)}`, file.id],
  );
  await ds.query(
    `INSERT INTO payee (council, payee_id, account_type, sort_code, account_number, account_name, version, extract_ref)
     VALUES ($1, $2, 'BANK', '000000', '00000000', 'TEST PAYEE', 1, $3) ON CONFLICT DO NOTHING`,
    [a.council, a.payeeId, ext.id],
  );
  const runId = `${a.council}-${sha.slice(0, 6)}`;
  await ds.query(
    `INSERT INTO payment_run (run_id, council, run_date, sequence, state) VALUES ($1, $2, '2026-11-18', $3, 'DELIVERED')`,
    [runId, a.council, 1 + Number.parseInt(sha.slice(0, 6), 16)],
  );
  const [credit] = await ds.query(
    `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name, payment_ref, end_to_end_id, amount_pence)
     VALUES ($1, $2, $3, 'BANK', 'V1', '000000', '00000000', 'TEST PAYEE', $4, $5, $6) RETURNING id`,
    [a.council, runId, a.payeeId, a.paymentRef, a.endToEndId, a.amountPence.toString()],
  );
  return credit.id;
}
