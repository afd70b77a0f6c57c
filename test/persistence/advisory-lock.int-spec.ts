/**
 * The advisory-lock helper against the test stack's PostgreSQL: each scope's key hashes to the
 * same lock number as the SQL each aggregate built before (so workers and existing data agree),
 * and a held lock is seen by a second transaction while other councils stay free.
 */
import type { DataSource } from 'typeorm';
import { advisoryLockKey, lockCouncil, tryLockCouncil, type LockScope } from '@dpb/persistence/repository/advisory-lock';
import { describeWithStack, openTestDataSource } from '../support/council-harness';

const d = describeWithStack;

/** The lock expressions as written in the repositories before the helper, with their arguments. */
const BEFORE: { scope: LockScope; parts: string[]; sql: string; args: string[] }[] = [
  { scope: 'payment-run', parts: [], sql: `hashtextextended('payment-run:' || $1, 0)`, args: ['LBX'] },
  { scope: 'officer-case', parts: ['UNDERSPEND'], sql: `hashtextextended('officer-case:' || $1 || ':' || $2, 0)`, args: ['LBX', 'UNDERSPEND'] },
  { scope: 'invoices', parts: [], sql: `hashtextextended('invoices:' || $1, 0)`, args: ['LBX'] },
  { scope: 'reconcile', parts: [], sql: `hashtextextended('reconcile:' || $1, 0)`, args: ['LBX'] },
  { scope: 'care_extract', parts: [], sql: `hashtextextended($1, 0)`, args: ['care_extract:LBX'] },
  { scope: 'card_txn', parts: ['PREPAY'], sql: `hashtextextended($1, 0)`, args: ['card_txn:LBX:PREPAY'] },
  { scope: 'bank_statement', parts: ['12345678'], sql: `hashtextextended($1, 0)`, args: ['bank_statement:LBX:12345678'] },
];

d('advisory locks (PostgreSQL)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource({ max: 3 });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it.each(BEFORE)('$scope derives the lock number the old SQL did', async ({ scope, parts, sql, args }) => {
    const [row]: { before: string; now: string }[] = await ds.query(
      `SELECT (${sql})::text AS before, hashtextextended($${args.length + 1}, 0)::text AS now`,
      [...args, advisoryLockKey(scope, 'LBX', ...parts)],
    );
    expect(row.now).toBe(row.before);
  });

  it('holds the lock until the transaction ends; another council is free meanwhile', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const isTaken = new Promise<void>((r) => (taken = r));
    const holder = ds.transaction(async (m) => {
      await lockCouncil(m, 'payment-run', 'LK1');
      taken();
      await held;
    });
    await isTaken;
    const whileHeld = await ds.transaction(async (m) => ({
      same: await tryLockCouncil(m, 'payment-run', 'LK1'),
      otherCouncil: await tryLockCouncil(m, 'payment-run', 'LK2'),
      otherScope: await tryLockCouncil(m, 'invoices', 'LK1'),
    }));
    release();
    await holder;
    const after = await ds.transaction((m) => tryLockCouncil(m, 'payment-run', 'LK1'));
    expect(whileHeld).toEqual({ same: false, otherCouncil: true, otherScope: true });
    expect(after).toBe(true);
  });
});
