/**
 * One council for an audit integration test, filled through the real services: a care extract
 * (importContent), payment runs (createPaymentRun) and a card file through the bank-in stage.
 *
 * DPA1: NET, card ALLPAY/ACC-A1, start 2026-11-02 (the go-live), weekly gross £300.00,
 * contribution £40.00 (payable £260.00). DPB2: GROSS (or, with `bankDpNet`, NET with a £30.00
 * contribution), weekly gross £200.00, bank account 089999/22223333 with no statement held (so
 * it is not audited: no ledger) until a test drops one.
 * Card items (all November 2026):
 *   L1  LOAD        +£5,000.00  11-02
 *   C1  TRANSFER_IN   +£40.00   11-03  "DPA1 contribution"
 *   C2  TRANSFER_IN   +£40.00   11-10  "dpa1 contribution"
 *   C3  TRANSFER_IN   +£40.00   11-17  "DPA1"
 *   G1  POS 7995      -£10.00   11-12  settled bet            -> MCC flag
 *   G2  POS 7995      -£50.00   11-13  declined bet           -> SAFEGUARDING flag
 *   A1  ATM 6011     -£100.00   11-14  cash not allowed       -> CASH flag
 *   S1  POS 5411     -£200.00   11-20  groceries
 *   P1  POS 5411      -£15.00   11-29  PENDING (no balance, no flag)
 * Balance = 500000 + 3 x 4000 - 1000 - 10000 - 20000 = 481000.
 */
import { createPaymentRun } from '@dpb/payments';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { cardCsv } from '../support/bank-files';
import { createHarness, drop, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

export async function auditCouncilHarness(code: string, settings: Record<string, unknown> = {}, opts: { bankDpNet?: boolean } = {}): Promise<Harness> {
  const h = await createHarness(code, { settings: { holdFirstPayment: false, ...settings } });
  await importContent(
    h,
    '2026-10-20T08:00:00Z',
    [person('P1'), person('P2')],
    [
      { id: 'PY1', vendorNo: 'VPY1', accountType: 'CARD', bank: null, card: { provider: 'ALLPAY', accountRef: 'ACC-A1' } },
      bankPayee('PY2', '22223333'),
    ],
    [
      weeklyDp('DPA1', 'P1', 'PY1', '2026-11-02', 30000n, { contributions: [{ from: '2026-11-02', weeklyPence: 4000n }] }),
      opts.bankDpNet
        ? weeklyDp('DPB2', 'P2', 'PY2', '2026-11-02', 20000n, { contributions: [{ from: '2026-11-02', weeklyPence: 3000n }] })
        : weeklyDp('DPB2', 'P2', 'PY2', '2026-11-02', 20000n, { basis: 'GROSS' }),
    ],
  );
  for (const runDate of ['2026-10-28', '2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25']) {
    await createPaymentRun(h.ds, { council: code, runDate, settings: h.council.settings });
  }
  const at = (d: string, t = '10:00:00') => `2026-11-${d}T${t}Z`;
  const csv = cardCsv([
    { txn: 'L1', account: 'ACC-A1', at: at('02'), type: 'LOAD', status: 'SETTLED', amount: 500000n, reference: 'DPA1 LOAD' },
    { txn: 'C1', account: 'ACC-A1', at: at('03'), type: 'TRANSFER_IN', status: 'SETTLED', amount: 4000n, reference: 'DPA1 contribution' },
    { txn: 'C2', account: 'ACC-A1', at: at('10'), type: 'TRANSFER_IN', status: 'SETTLED', amount: 4000n, reference: 'dpa1 contribution' },
    { txn: 'C3', account: 'ACC-A1', at: at('17'), type: 'TRANSFER_IN', status: 'SETTLED', amount: 4000n, reference: 'DPA1' },
    { txn: 'G1', account: 'ACC-A1', at: at('12'), status: 'SETTLED', amount: -1000n, mcc: '7995', merchant: 'BETS R US' },
    { txn: 'G2', account: 'ACC-A1', at: at('13'), status: 'DECLINED', amount: -5000n, mcc: '7995', merchant: 'BETS R US' },
    { txn: 'A1', account: 'ACC-A1', at: at('14'), type: 'ATM', status: 'SETTLED', amount: -10000n, mcc: '6011', merchant: 'ATM HIGH ST' },
    // The council code makes each test file's card file unique (the inbound ledger dedups by content).
    { txn: 'S1', account: 'ACC-A1', at: at('20'), status: 'SETTLED', amount: -20000n, mcc: '5411', merchant: `GROCER ${code}` },
    { txn: 'P1', account: 'ACC-A1', at: at('29'), status: 'PENDING', amount: -1500n, mcc: '5411', merchant: 'GROCER' },
  ]);
  drop(h.dirs.card, 'cards_allpay_20261130.csv', csv);
  const s = await runBankInStage(h.context('2026-11-30'));
  if (s.counts?.['card.applied'] !== 1) throw new Error(`card file not applied: ${JSON.stringify(s.counts)}`);
  return h;
}

/** The contributions a DP's (default DPA1) released REGULAR lines carry for periods starting 2026-11-02..to. */
export async function expectedFromLines(h: Harness, to: string, dpId = 'DPA1'): Promise<bigint> {
  const [r]: { s: string | null }[] = await h.ds.query(
    `SELECT sum(contribution_pence)::text AS s FROM payment_line WHERE council = $1 AND dp_id = $3 AND kind = 'REGULAR' AND state = 'RELEASED' AND period_start BETWEEN '2026-11-02' AND $2`,
    [h.code, to, dpId],
  );
  return BigInt(r.s ?? '0');
}
