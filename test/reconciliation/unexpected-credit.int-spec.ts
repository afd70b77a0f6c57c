/**
 * Unexpected credits on the council's payment account, through the real stages (payment run,
 * bank-in, reconcile). The council names its DP payment account (`reconciliation.paymentAccounts`).
 *
 * - night 1 (Wed 11 Nov 2026): the run pays PY1, PY2 and PY3 by Bacs.
 * - night 2 (Fri 13 Nov): the payment account's statement shows the run's contra debit (12 Nov)
 *   and five credits: a camt return (ARET) of PY1's credit, matched in bank-in; the money of PY3's
 *   credit coming back naming its payment reference, explained by the ARUCS return bank-in matched
 *   to PY3's credit; 1,000,000.00 of funding from the general fund and 1.20 of interest (council
 *   income, naming nothing of ours); and PY2's amount coming back as "REFUND <PY2's reference>"
 *   with no return advice at all. The council's other account has a credit naming PY2's reference
 *   too: not the payment account, not looked at. Nothing is unexpected yet (a return advice may
 *   still come until Tue 17 Nov, `bacsMatchDays` Bacs days after the booking).
 * - night 3 (Wed 18 Nov): one UNEXPECTED_CREDIT case for PY2's refund (DP2, its amount, evidence:
 *   the bank entry and PY2's credit). A re-run adds nothing; the case's key is the bank entry's.
 */
import { CaseService } from '@dpb/cases';
import { arucsCsv, camt053, closingOf, pounds, type CamtEntry } from '../support/bank-files';
import { runPaymentStage } from '@dpb/pipeline/stages/payment-run';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { confirmationStep, runReconcileStage } from '@dpb/pipeline/stages/reconcile';
import { createHarness, drop, type Harness } from '../support/council-harness';
import { importThreeBankDps, runCredits, type RunCredit } from './fixtures';

const PAYMENT_ACCOUNT = 'GB29NWBK60161366374958';
const OTHER_ACCOUNT = 'GB29NWBK60161311112222';

describe('reconcile: unexpected credits on the payment account (RC3)', () => {
  let h: Harness;
  let cases: CaseService;
  const ctx = (nightDate: string) => h.context(nightDate);
  const confirmation = (nightDate: string) => runReconcileStage(ctx(nightDate), [confirmationStep]);
  let credits: RunCredit[];
  const by = (p: string) => credits.find((x) => x.payee_id === p)!;

  beforeAll(async () => {
    h = await createHarness('RC3', { settings: { reconciliation: { paymentAccounts: [PAYMENT_ACCOUNT] } } });
    cases = new CaseService(h.ds);
    await importThreeBankDps(h, { person: 'P', dp: 'DP' }, ['12345678', '87654321', '11223344']);
  });
  afterAll(() => h.close());

  it('nights 1 and 2: returns and council income explain every credit but one, still within its grace', async () => {
    await runPaymentStage(ctx('2026-11-11'));
    credits = await runCredits(h, 'RC3-20261111-1');
    expect(credits.map((c) => c.payee_id)).toEqual(['PY1', 'PY2', 'PY3']);
    const total = credits.reduce((a, c) => a + BigInt(c.amount_pence), 0n);
    const amount = (p: string) => BigInt(by(p).amount_pence);
    const payment: CamtEntry[] = [
      { amount: -total, date: '2026-11-12', reference: 'BACS RC3-20261111-1' },
      { amount: amount('PY1'), date: '2026-11-13', reversal: true, subFamily: 'ARET', e2e: by('PY1').end_to_end_id, reason: 'AC01' },
      { amount: amount('PY3'), date: '2026-11-13', reference: `BACS RETURN ${by('PY3').payment_ref}` },
      { amount: 100000000n, date: '2026-11-13', reference: 'TRANSFER FROM GENERAL FUND' },
      { amount: 120n, date: '2026-11-13', reference: 'INTEREST' },
      { amount: amount('PY2'), date: '2026-11-13', reference: `REFUND ${by('PY2').payment_ref}` },
    ];
    const other: CamtEntry[] = [{ amount: amount('PY2'), date: '2026-11-13', reference: `REFUND ${by('PY2').payment_ref}` }];
    drop(h.dirs.bank, 'stmt_rc3.xml', camt053([
      { account: PAYMENT_ACCOUNT, seq: '1', opening: 10000000n, closing: closingOf(10000000n, payment), entries: payment },
      { account: OTHER_ACCOUNT, seq: '1', opening: 500000n, closing: closingOf(500000n, other), entries: other },
    ], 'RC3-M1'));
    drop(h.dirs.bank, 'arucs_rc3.csv', arucsCsv([{ reference: by('PY3').payment_ref, amount: pounds(amount('PY3')), reason: '0', returnDate: '2026-11-13' }]));
    const bank = await runBankInStage(ctx('2026-11-13'));
    expect(bank.counts).toMatchObject({ 'bank.applied': 2, 'returns.matched': 2 });
    const r = await confirmation('2026-11-13');
    expect(r.counts).toMatchObject({ 'confirm.runsConfirmed': 1, 'cases.opened': 2, 'cases.opened.RETURNED_PAYMENT': 2 });
    expect(r.counts['cases.opened.UNEXPECTED_CREDIT']).toBeUndefined();
    // The grace runs to Tue 17 Nov: still nothing on the 17th.
    expect((await confirmation('2026-11-17')).counts['cases.opened.UNEXPECTED_CREDIT']).toBeUndefined();
  });

  it('night 3: the refund no return explains is an UNEXPECTED_CREDIT case, once', async () => {
    const r = await confirmation('2026-11-18');
    expect(r.counts).toMatchObject({ 'cases.opened': 1, 'cases.opened.UNEXPECTED_CREDIT': 1 });
    expect(r.warnings.some((w) => w.startsWith('ALERT: 1 unexpected credit(s)'))).toBe(true);
    const [entry]: { id: string }[] = await h.ds.query(
      `SELECT id FROM bank_ledger_entry WHERE council = $1 AND account = $2 AND reference = $3`, [h.code, PAYMENT_ACCOUNT, `REFUND ${by('PY2').payment_ref}`]);
    const found = await cases.list({ council: h.code, kind: 'UNEXPECTED_CREDIT' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      dpId: 'DP2', status: 'OPEN', amountPence: BigInt(by('PY2').amount_pence),
      evidence: [{ type: 'bank_entry', id: entry.id }, { type: 'credit', id: by('PY2').id }],
      detail: expect.objectContaining({ channel: 'BANK', bookingDate: '2026-11-13' }),
    });

    const again = await confirmation('2026-11-18');
    expect(again.counts).toMatchObject({ 'cases.opened': 0 });
    expect(again.outcome).toBe('NOTHING_TO_DO');
    expect(await h.ds.query(`SELECT dedup_key FROM officer_case_key WHERE council = $1 AND kind = 'UNEXPECTED_CREDIT'`, [h.code])).toEqual([
      { dedup_key: `bank_entry:${entry.id}` },
    ]);
  });
});
