import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `analyze_care_records()`: refreshes the planner's statistics on person, payee and
 * direct_payment. A large care import is followed at once by the payment run, and autovacuum
 * only analyses the tables a minute or more later: planned on a guess, the run's first read of
 * 200,000 DPs takes twice as long. Only a table's owner may ANALYZE it (PostgreSQL 15), so the
 * run-time role calls this SECURITY DEFINER function, which does that and nothing else.
 */
export class CareStatistics1763900008000 implements MigrationInterface {
  name = 'CareStatistics1763900008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION analyze_care_records() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $f$
      BEGIN
        ANALYZE public.person, public.payee, public.direct_payment;
      END $f$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION analyze_care_records()`);
  }
}
