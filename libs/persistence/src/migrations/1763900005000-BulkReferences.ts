import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `<table>_refs_check()`: for a statement trigger with `REFERENCING NEW TABLE AS new_rows`, refuses
 * the statement when any new row (`n`) meets `broken`, naming the first such row's id.
 */
function refsCheckFunction(table: string, broken: string, what: string): string {
  return `
      CREATE FUNCTION ${table}_refs_check() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE bad bigint;
      BEGIN
        SELECT n.id INTO bad FROM new_rows n WHERE ${broken} LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '${table}_refs',
            MESSAGE = format('${table} %s refers to ${what} that does not exist', bad);
        END IF;
        RETURN NULL;
      END $f$`;
}

/**
 * The references from payment lines and credits to their run and credit, checked once per
 * statement instead of once per row. A payment run for 200,000 DPs COPYs some 300,000 lines: a
 * foreign key fires one lookup per row and reference (about five seconds of the run), while an
 * AFTER ... FOR EACH STATEMENT trigger over the statement's new rows checks them all in one join.
 * The guarantee is the same: a line whose run, release run or credit does not exist, or a credit
 * whose run does not exist, is refused and the whole statement (and transaction) fails. Runs and
 * credits are the council's payment record and are never deleted: the referenced side refuses
 * DELETE, TRUNCATE and a change of key outright (the foreign keys only refused those while
 * referenced).
 */
export class BulkReferences1763900005000 implements MigrationInterface {
  name = 'BulkReferences1763900005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_line DROP CONSTRAINT payment_line_run_id_fkey,
                     DROP CONSTRAINT payment_line_released_run_id_fkey, DROP CONSTRAINT payment_line_credit_id_fkey`);
    await q.query(`ALTER TABLE credit DROP CONSTRAINT credit_run_id_fkey`);
    await q.query(refsCheckFunction('payment_line', `NOT EXISTS (SELECT 1 FROM payment_run r WHERE r.run_id = n.run_id)
            OR (n.released_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment_run r WHERE r.run_id = n.released_run_id))
            OR (n.credit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit c WHERE c.id = n.credit_id))`, 'a payment run or credit'));
    await q.query(refsCheckFunction('credit', 'NOT EXISTS (SELECT 1 FROM payment_run r WHERE r.run_id = n.run_id)', 'a payment run'));
    await q.query(`
      CREATE FUNCTION payment_record_permanent() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        -- TG_ARGV[0]: the key column; an UPDATE that leaves it unchanged goes through.
        IF TG_OP = 'UPDATE' AND to_jsonb(NEW) -> TG_ARGV[0] = to_jsonb(OLD) -> TG_ARGV[0] THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = format('%s rows are a permanent payment record: %s refused', TG_TABLE_NAME, TG_OP);
      END $f$`);
    for (const table of ['payment_line', 'credit']) {
      for (const [op, suffix] of [['INSERT', 'ins'], ['UPDATE', 'upd']]) {
        await q.query(`CREATE TRIGGER ${table}_refs_${suffix} AFTER ${op} ON ${table} REFERENCING NEW TABLE AS new_rows
                       FOR EACH STATEMENT EXECUTE FUNCTION ${table}_refs_check()`);
      }
    }
    await q.query(`CREATE TRIGGER payment_run_permanent BEFORE DELETE OR UPDATE OF run_id ON payment_run FOR EACH ROW EXECUTE FUNCTION payment_record_permanent('run_id')`);
    await q.query(`CREATE TRIGGER payment_run_no_truncate BEFORE TRUNCATE ON payment_run FOR EACH STATEMENT EXECUTE FUNCTION payment_record_permanent('run_id')`);
    await q.query(`CREATE TRIGGER credit_permanent BEFORE DELETE OR UPDATE OF id ON credit FOR EACH ROW EXECUTE FUNCTION payment_record_permanent('id')`);
    await q.query(`CREATE TRIGGER credit_no_truncate BEFORE TRUNCATE ON credit FOR EACH STATEMENT EXECUTE FUNCTION payment_record_permanent('id')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['payment_run_permanent ON payment_run', 'payment_run_no_truncate ON payment_run', 'credit_permanent ON credit',
      'credit_no_truncate ON credit', 'payment_line_refs_ins ON payment_line', 'payment_line_refs_upd ON payment_line',
      'credit_refs_ins ON credit', 'credit_refs_upd ON credit']) {
      await q.query(`DROP TRIGGER ${t}`);
    }
    await q.query(`DROP FUNCTION payment_record_permanent(), credit_refs_check(), payment_line_refs_check()`);
    await q.query(`ALTER TABLE credit ADD CONSTRAINT credit_run_id_fkey FOREIGN KEY (run_id) REFERENCES payment_run (run_id)`);
    await q.query(`ALTER TABLE payment_line ADD CONSTRAINT payment_line_run_id_fkey FOREIGN KEY (run_id) REFERENCES payment_run (run_id),
                     ADD CONSTRAINT payment_line_released_run_id_fkey FOREIGN KEY (released_run_id) REFERENCES payment_run (run_id),
                     ADD CONSTRAINT payment_line_credit_id_fkey FOREIGN KEY (credit_id) REFERENCES credit (id)`);
  }
}
