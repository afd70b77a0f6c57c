/**
 * Worked example (integration): a DP paid into a bank account whose statements we hold.
 *   DPB2 NET: weekly gross £200.00, contribution £30.00 -> payable £170.00; account 089999
 *   22223333, statements under the IBAN-style id GB29TEST08999922223333 (its last 14 digits are
 *   sort code + account number). One camt.053 statement, opening £2,000.00:
 *     +£300.00 11-18 the council's own payment (its end-to-end id is the run's credit), reference
 *              "DPB2 DIRECT PAYMENT": never a contribution although it names the DP
 *     +£30.00  11-16 "DPB2 contribution", +£30.00 11-19 "dpb2": contributions (6000)
 *     -£100.00 11-20 payroll
 *   closing = 200000 + 30000 + 3000 + 3000 - 10000 = 226000 = balance.
 *   expected = 5 weekly lines x 3000 = 15000 (periods 11-02..11-30), missed 15000 - 6000 = 9000.
 *   contingency 8 x 17000 = 136000; surplus 226000 - 136000 = 90000 = councilExcess; no flags.
 */
import { auditCouncil } from '@dpb/audit';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { camt053, closingOf, type CamtEntry } from '../support/bank-files';
import { drop, type Harness } from '../support/council-harness';
import { auditCouncilHarness, expectedFromLines } from './fixtures';

describe('audit: a bank account from its statements', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await auditCouncilHarness('AUDBK', {}, { bankDpNet: true });
  }, 60_000);
  afterAll(async () => h?.close());

  it('balance from the closing balance; the council payment is not a contribution', async () => {
    const [credit]: { end_to_end_id: string }[] = await h.ds.query(
      `SELECT end_to_end_id FROM credit WHERE council = $1 AND payee_id = 'PY2' ORDER BY id LIMIT 1`,
      [h.code],
    );
    const entries: CamtEntry[] = [
      { amount: 30000n, date: '2026-11-18', e2e: credit.end_to_end_id, reference: 'DPB2 DIRECT PAYMENT' },
      { amount: 3000n, date: '2026-11-16', reference: 'DPB2 contribution' },
      { amount: 3000n, date: '2026-11-19', reference: 'dpb2' },
      { amount: -10000n, date: '2026-11-20', reference: 'PAYROLL NOV', counterparty: 'PAYROLL CO' },
    ];
    const xml = camt053([{ account: 'GB29TEST08999922223333', seq: '1', opening: 200000n, closing: closingOf(200000n, entries), entries }], `M-${h.code}`);
    drop(h.dirs.bank, 'stmt.xml', xml);
    const s = await runBankInStage(h.context('2026-11-30'));
    expect(s.counts['bank.applied']).toBe(1);

    const r = await auditCouncil(h.ds, { council: h.code, settings: h.council.settings, asOf: '2026-11-30', dpId: 'DPB2', dryRun: true });
    const f = r.audits[0].figures;
    expect(f.balancePence).toBe(226000n);
    expect(f.receivedContributionsPence).toBe(6000n);
    expect(f.expectedContributionsPence).toBe(await expectedFromLines(h, '2026-11-30', 'DPB2'));
    expect(f).toMatchObject({
      expectedContributionsPence: 15000n,
      missedContributionsPence: 9000n,
      contingencyPence: 136000n,
      surplusPence: 90000n,
      councilExcessPence: 90000n,
    });
    expect(f.flags).toEqual([]);
    expect(f.contributionItemIds).toHaveLength(2);
  });
});
