import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's manifest is kept as the bytes delivered (`manifest_bytes`, binary: no JSON parsing on
 * the way in or out; for 200,000 DPs it is over 100 MB), and `manifest` keeps only its head (run,
 * held, files, totals) for the checks at delivery. Runs written before this migration keep their
 * whole manifest in `manifest`, and get the same text as bytes.
 */
export class ManifestBytes1763900006000 implements MigrationInterface {
  name = 'ManifestBytes1763900006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_run ADD COLUMN manifest_bytes bytea`);
    // lz4 (where the server has it) writes a large manifest in about two thirds of pglz's time.
    const [lz4]: { ok: boolean }[] = await q.query(
      `SELECT 'lz4' = ANY (enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    if (lz4?.ok) await q.query(`ALTER TABLE payment_run ALTER COLUMN manifest_bytes SET COMPRESSION lz4`);
    await q.query(`UPDATE payment_run SET manifest_bytes = convert_to(manifest::text, 'UTF8') WHERE manifest IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE payment_run SET manifest = convert_from(manifest_bytes, 'UTF8')::json WHERE manifest_bytes IS NOT NULL`);
    await q.query(`ALTER TABLE payment_run DROP COLUMN manifest_bytes`);
  }
}
