import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * calc_basis (the calculation input behind each line, for `dpbridge explain`) is keyed by council
 * and basis hash. The hash covers the DP id but not the council, so two councils with a DP of the
 * same id and the same terms shared one row, and the second council's explain could not list it
 * among its DP's stored inputs. Keyed per council, a DP that was never checked has no row yet, so
 * the payment run COPYs those rows straight in (a first run writes one per DP).
 * `calc` becomes json: it is only ever read whole, and json is cheaper to load than jsonb.
 */
export class CalcBasisPerCouncil1763900009000 implements MigrationInterface {
  name = 'CalcBasisPerCouncil1763900009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calc_basis DROP CONSTRAINT calc_basis_pkey`);
    await q.query(`ALTER TABLE calc_basis ADD PRIMARY KEY (council, basis_hash)`);
    await q.query(`ALTER TABLE calc_basis ALTER COLUMN calc TYPE json USING calc::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calc_basis ALTER COLUMN calc TYPE jsonb USING calc::jsonb`);
    await q.query(`ALTER TABLE calc_basis DROP CONSTRAINT calc_basis_pkey`);
    await q.query(`DELETE FROM calc_basis a USING calc_basis b WHERE a.basis_hash = b.basis_hash AND a.council > b.council`);
    await q.query(`ALTER TABLE calc_basis ADD PRIMARY KEY (basis_hash)`);
  }
}
