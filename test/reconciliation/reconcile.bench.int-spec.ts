/**
 * Payment confirmation at scale, when DPB_BENCH=1 (skipped otherwise): one delivered run of
 * N card loads (default 50,000) and the provider's LOAD items (two in three carry our reference,
 * 1% never posted), seeded by SQL; then the night of the entry day (reference matches) and the
 * night after the windows closed (date matches, PAYMENT_UNCONFIRMED cases), and a re-run.
 * Then the national bench (`npm run bench -- --only reconcile`, bench/reconcile.bench.ts) at
 * DPB_BENCH_DPS DPs (default 20,000), with its counts checked.
 */
import type { DataSource } from 'typeorm';
import { parseCouncilSettings } from '@dpb/payments';
import { confirmPayments } from '@dpb/reconciliation';
import { openTestDataSource, stackConfigured } from '../support/council-harness';
import { benchReconcile } from '../../bench/reconcile.bench';

const enabled = stackConfigured && process.env.DPB_BENCH === '1';
const d = enabled ? describe : describe.skip;
if (!enabled) console.warn('reconcile.bench.int-spec: set DPB_BENCH=1 (with the test stack) to run the reconcile bench; skipping');

const N = Number(process.env.DPB_BENCH_LOADS ?? 50000);
const C = 'RB1';

d('reconcile bench', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
    await ds.query(`INSERT INTO payment_run (run_id, council, run_date, sequence, state) VALUES ('RB1-20261111-1', $1, '2026-11-11', 1, 'DELIVERED')`, [C]);
    await ds.query(
      `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name, card_provider, card_account_ref, payment_ref, end_to_end_id, amount_pence)
       SELECT $1, 'RB1-20261111-1', 'PY' || g, 'CARD', '4999001', '089999', '66374958', 'ALLPAY FUNDING', 'ALLPAY', 'C' || g,
              'RB1' || lpad(g::text, 8, '0'), 'RB1-20261111-1-' || g, 10000 + g % 50
         FROM generate_series(1, $2::int) g`,
      [C, N],
    );
    await ds.query(
      `INSERT INTO card_txn (council, provider, txn_id, account_ref, posted_at, posting_date, type, status, amount_minor, reference, first_file_id, last_file_id, last_file_date, last_row)
       SELECT $1, 'ALLPAY', 'T' || g, 'C' || g, '2026-11-13T09:00:00Z', '2026-11-13', 'LOAD', 'SETTLED', 10000 + g % 50,
              CASE WHEN g % 3 = 0 THEN NULL ELSE 'RB1' || lpad(g::text, 8, '0') END, 1, 1, '2026-11-13', g
         FROM generate_series(1, $2::int) g WHERE g % 100 <> 0`,
      [C, N],
    );
    await ds.query(`ANALYZE credit; ANALYZE card_txn`);
  }, 600_000);
  afterAll(async () => {
    await ds?.destroy();
  });

  it(`confirms ${N} card loads in seconds, and a re-run does nothing`, async () => {
    const settings = parseCouncilSettings({ council: C, goLiveDate: '2026-11-02', finance: { postingFormat: 'SAP_IDOC', sapCompanyCode: 'RB01' } });
    const time = async (nightDate: string) => {
      const t = process.hrtime.bigint();
      const s = await confirmPayments(ds, { council: C, nightDate, settings });
      return { nightDate, ms: Number((process.hrtime.bigint() - t) / 1_000_000n), ...s };
    };
    const byReference = await time('2026-11-13');
    const byDate = await time('2026-11-30');
    const again = await time('2026-11-30');
    console.warn(JSON.stringify({ loads: N, byReference, byDate, again }, null, 2));
    const missing = Math.floor(N / 100);
    const referenced = N - Math.floor(N / 3) - (missing - Math.floor(N / 300));
    expect(byReference).toMatchObject({ cardLoadsConfirmed: referenced, casesOpened: {} });
    expect(byDate).toMatchObject({ cardLoadsConfirmed: N - missing - referenced, cardLoadsPending: missing, casesOpened: { PAYMENT_UNCONFIRMED: missing } });
    expect(again).toMatchObject({ cardLoadsConfirmed: 0, casesOpened: {} });
    expect(byReference.ms + byDate.ms + again.ms).toBeLessThan(60_000);
  }, 600_000);
});

d('reconcile bench: the answer to a national run (bench/reconcile.bench.ts)', () => {
  const dps = Number(process.env.DPB_BENCH_DPS ?? 20000);
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it(`confirms a ${dps}-DP run's card loads and itemised Bacs debits, opens its cases, and a re-run does nothing`, async () => {
    const r = await benchReconcile({ ds, dps });
    console.warn(JSON.stringify(r, null, 2));
    const nights = r.nights as { cardLoadsConfirmed: number; cardLoadsPending: number; runsConfirmed: number; casesOpened: Record<string, number> }[];
    const cardIds = Array.from({ length: Math.floor(dps / 3) }, (_, i) => 3 * (i + 1));
    const missing = cardIds.filter((g) => g % 100 === 0).length;
    const byReference = cardIds.filter((g) => g % 100 !== 0 && Math.floor(g / 3) % 3 !== 0).length;
    const bank = (k: number) => Array.from({ length: dps }, (_, i) => i + 1).filter((g) => g % 3 !== 0 && g % 1000 === k).length;
    expect(nights[0]).toMatchObject({ cardLoadsConfirmed: byReference, runsConfirmed: 1, casesOpened: { RETURNED_PAYMENT: bank(1) } });
    expect(nights[1]).toMatchObject({
      cardLoadsConfirmed: cardIds.length - missing - byReference, cardLoadsPending: missing,
      casesOpened: { PAYMENT_UNCONFIRMED: missing, UNEXPECTED_CREDIT: 100 + bank(2) },
    });
    expect(nights[2]).toMatchObject({ cardLoadsConfirmed: 0, runsConfirmed: 0, casesOpened: {} });
  }, 600_000);
});
