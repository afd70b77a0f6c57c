/**
 * Payment confirmation over three nights of a council, through the real stages (payment run,
 * bank-in, reconcile) with file:// inboxes:
 *
 * - night 1 (Wed 11 Nov 2026): the run pays four payees: PY1, PY2, PY5 by Bacs and CARD3, CARD4
 *   by card load; processing day Thu 12, entry day Fri 13; loads may post until Fri 20 Nov
 *   (entry + 5 Bacs days), the run's debit must show by Tue 17 Nov (entry + 2).
 * - night 2 (Fri 13 Nov): the card file has CARD3's load (with our reference) and a 50.00 LOAD
 *   on CARD9 nobody sent, not CARD4's; the bank statement has the run's contra debit on 12 Nov
 *   and a camt return (AC04) of PY5's credit; an ARUCS file returns PY2's credit with reason 2
 *   (beneficiary deceased). Reconcile confirms CARD3's load and the run, opens a
 *   RETURNED_PAYMENT case (PY5) and a DEATH case naming DP2.
 * - night 3 (Wed 25 Nov): DP2's new lines are held (DEATH_CASE); CARD4's window closed without
 *   its load: PAYMENT_UNCONFIRMED; CARD9's LOAD is past any load's window: UNEXPECTED_CREDIT;
 *   DP1 ended on 15 Nov (recorded after night 2): the run's recovery proposal becomes an
 *   OVERPAYMENT case. Re-running reconcile adds nothing; approval by the proposer is refused;
 *   closing the DEATH case lifts DP2's hold for the next run; on 2 Dec the 25 Nov run's debit is
 *   still missing from the bank statements: PAYMENT_UNCONFIRMED for the run.
 */
import { CaseService } from '@dpb/cases';
import { OfficerRefusal } from '@dpb/payments/officer';
import type { Payee } from '@dpb/care-records';
import { arucsCsv, camt053, cardCsv, closingOf, pounds, type CamtEntry } from '../support/bank-files';
import { runPaymentStage } from '@dpb/pipeline/stages/payment-run';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { confirmationStep, runReconcileStage } from '@dpb/pipeline/stages/reconcile';

// Payment confirmation only: the account audit step has its own specs (test/audit).
const CONFIRMATION_ONLY = [confirmationStep];
import { createHarness, drop, type Harness } from '../support/council-harness';
import { importThreeBankDps, runCredits } from './fixtures';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const cardPayee = (id: string, accountRef: string): Payee => ({ id, vendorNo: null, accountType: 'CARD', bank: null, card: { provider: 'ALLPAY', accountRef } });

describe('reconcile: payment confirmation and its cases (RC1)', () => {
  let h: Harness;
  let cases: CaseService;
  const ctx = (nightDate: string) => h.context(nightDate);
  const credits = () =>
    h.ds.query(`SELECT id, payee_id, channel, payment_ref, end_to_end_id, amount_pence FROM credit WHERE council = $1 AND run_id = 'RC1-20261111-1' ORDER BY payee_id`, [h.code]) as Promise<
      { id: string; payee_id: string; channel: string; payment_ref: string; end_to_end_id: string; amount_pence: string }[]
    >;
  const caseRows = async () => (await cases.list({ council: h.code })).map((c) => [c.kind, c.dpId, c.status, c.amountPence]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const persons = ['P1', 'P2', 'P3', 'P4', 'P5'].map(person);
  const payees = [bankPayee('PY1'), bankPayee('PY2', '12345678'), cardPayee('PC3', 'CARD3'), cardPayee('PC4', 'CARD4'), bankPayee('PY5', '87654321')];
  const dps = (dp1End: string | null) => [
    weeklyDp('DP1', 'P1', 'PY1', '2026-10-05', 14000n, { end: dp1End }),
    weeklyDp('DP2', 'P2', 'PY2', '2026-10-05', 7000n),
    weeklyDp('DP3', 'P3', 'PC3', '2026-10-05', 10500n),
    weeklyDp('DP4', 'P4', 'PC4', '2026-10-05', 21000n),
    weeklyDp('DP5', 'P5', 'PY5', '2026-10-05', 3500n),
  ];

  beforeAll(async () => {
    // DP1 ends and DP2 is held on night 3: the run's total moves by more than the default 20%.
    h = await createHarness('RC1', { settings: { holdRunPct: 1000 } });
    cases = new CaseService(h.ds);
    await importContent(h, '2026-11-10T01:00:00.000Z', persons, payees, dps(null));
  });
  afterAll(() => h.close());

  it('night 1: the run pays three bank payees and two card loads, nothing is confirmed yet', async () => {
    await runPaymentStage(ctx('2026-11-11'));
    const c = await credits();
    expect(c.map((x) => [x.payee_id, x.channel])).toEqual([['PC3', 'CARD'], ['PC4', 'CARD'], ['PY1', 'BANK'], ['PY2', 'BANK'], ['PY5', 'BANK']]);
    const r = await runReconcileStage(ctx('2026-11-11'), CONFIRMATION_ONLY);
    expect(r.counts).toMatchObject({ 'confirm.cardLoadsConfirmed': 0, 'confirm.cardLoadsPending': 2, 'confirm.runsConfirmed': 0, 'confirm.runsPending': 1, 'cases.opened': 0 });
  });

  it('night 2: confirms the load and the run from the files, opens RETURNED_PAYMENT and DEATH cases', async () => {
    const c = await credits();
    const by = (p: string) => c.find((x) => x.payee_id === p)!;
    const total = c.reduce((a, x) => a + BigInt(x.amount_pence), 0n);
    drop(h.dirs.card, 'cards_allpay_20261113.csv', cardCsv([
      { txn: 'L3', account: 'CARD3', at: '2026-11-13T09:00:00Z', type: 'LOAD', status: 'SETTLED', amount: BigInt(by('PC3').amount_pence), reference: `COUNCIL ${by('PC3').payment_ref}` },
      { txn: 'L9', account: 'CARD9', at: '2026-11-13T09:05:00Z', type: 'LOAD', status: 'SETTLED', amount: 5000n, reference: 'TOP UP' },
      { txn: 'S3', account: 'CARD3', at: '2026-11-13T15:00:00Z', type: 'POS', status: 'SETTLED', amount: -1200n, mcc: '5411', merchant: 'SHOP' },
    ]));
    const entries: CamtEntry[] = [
      { amount: -total, date: '2026-11-12', reference: 'BACS RC1-20261111-1' },
      { amount: BigInt(by('PY5').amount_pence), date: '2026-11-13', reversal: true, subFamily: 'ARET', e2e: by('PY5').end_to_end_id, reason: 'AC04' },
    ];
    drop(h.dirs.bank, 'stmt_20261113.xml', camt053([{ account: '66374958', seq: '1', opening: 10000000n, closing: closingOf(10000000n, entries), entries }], 'RC1-M1'));
    drop(h.dirs.bank, 'arucs_20261113.csv', arucsCsv([{ reference: by('PY2').payment_ref, amount: pounds(BigInt(by('PY2').amount_pence)), reason: '2', returnDate: '2026-11-13' }]));

    await runPaymentStage(ctx('2026-11-13'));
    const bank = await runBankInStage(ctx('2026-11-13'));
    expect(bank.counts).toMatchObject({ 'bank.applied': 2, 'card.applied': 1, 'returns.matched': 2 });
    const r = await runReconcileStage(ctx('2026-11-13'), CONFIRMATION_ONLY);
    expect(r.counts).toMatchObject({
      'confirm.cardLoadsConfirmed': 1, 'confirm.cardLoadsPending': 1, 'confirm.runsConfirmed': 1, 'confirm.runsPending': 0,
      'cases.opened': 2, 'cases.opened.DEATH': 1, 'cases.opened.RETURNED_PAYMENT': 1,
    });
    expect(r.warnings).toContain('ALERT: 1 DEATH case(s) opened: the DPs they name are held until an officer closes the case');
    const loads = await h.ds.query(`SELECT credit_id, txn_id, matched_by, matched_on FROM card_load_match WHERE council = $1`, [h.code]);
    expect(loads).toEqual([{ credit_id: by('PC3').id, txn_id: 'L3', matched_by: 'REFERENCE', matched_on: '2026-11-13' }]);
    expect(await h.ds.query(`SELECT run_id, matched_by, total_pence FROM bacs_run_match WHERE council = $1`, [h.code])).toEqual([
      { run_id: 'RC1-20261111-1', matched_by: 'CONTRA', total_pence: total.toString() },
    ]);
    expect(await caseRows()).toEqual([
      ['DEATH', 'DP2', 'OPEN', BigInt(by('PY2').amount_pence)],
      ['RETURNED_PAYMENT', 'DP5', 'OPEN', BigInt(by('PY5').amount_pence)],
    ]);
    const [death] = await cases.list({ council: h.code, kind: 'DEATH' });
    expect(death.evidence).toEqual(expect.arrayContaining([{ type: 'dp', id: 'DP2' }, { type: 'credit', id: by('PY2').id }]));
    // The death was recorded after the run that paid DP1 ended... (DP1's end date arrives now.)
    await importContent(h, '2026-11-20T01:00:00.000Z', persons, payees, dps('2026-11-15'));
  });

  it('night 3: holds the deceased DP, opens PAYMENT_UNCONFIRMED, UNEXPECTED_CREDIT and OVERPAYMENT cases; a re-run adds nothing', async () => {
    await runPaymentStage(ctx('2026-11-25'));
    expect(await h.ds.query(`SELECT state FROM payment_run WHERE run_id = 'RC1-20261125-1'`)).toEqual([{ state: 'DELIVERED' }]);
    const dp2: { hold_reasons: string[]; state: string }[] = await h.ds.query(
      `SELECT hold_reasons, state FROM payment_line WHERE council = $1 AND dp_id = 'DP2' AND run_id = 'RC1-20261125-1'`, [h.code]);
    expect(dp2.length).toBeGreaterThan(0);
    for (const l of dp2) expect(l).toEqual({ state: 'HELD', hold_reasons: ['BACS_RETURN_BLOCK', 'DEATH_CASE'] });
    await runBankInStage(ctx('2026-11-25'));
    const r = await runReconcileStage(ctx('2026-11-25'), CONFIRMATION_ONLY);
    expect(r.counts).toMatchObject({ 'cases.opened.PAYMENT_UNCONFIRMED': 1, 'cases.opened.UNEXPECTED_CREDIT': 1, 'cases.opened.OVERPAYMENT': 1 });
    const c = await credits();
    const pc4 = c.find((x) => x.payee_id === 'PC4')!;
    const [unconfirmed] = await cases.list({ council: h.code, kind: 'PAYMENT_UNCONFIRMED' });
    expect(unconfirmed).toMatchObject({ dpId: 'DP4', amountPence: BigInt(pc4.amount_pence), evidence: [{ type: 'credit', id: pc4.id }, { type: 'payment_run', id: 'RC1-20261111-1' }] });
    const [unexpected] = await cases.list({ council: h.code, kind: 'UNEXPECTED_CREDIT' });
    expect(unexpected).toMatchObject({ dpId: null, amountPence: 5000n, evidence: [{ type: 'card_txn', id: 'L9' }] });
    const [over] = await cases.list({ council: h.code, kind: 'OVERPAYMENT' });
    const [rec]: { id: string; amount_pence: string }[] = await h.ds.query(`SELECT id, amount_pence FROM recovery_proposal WHERE council = $1`, [h.code]);
    expect(over).toMatchObject({ dpId: 'DP1', amountPence: BigInt(rec.amount_pence), evidence: [{ type: 'recovery_proposal', id: rec.id }, { type: 'payment_run', id: 'RC1-20261125-1' }] });

    const before = await caseRows();
    const matches = async () => (await h.ds.query(`SELECT (SELECT count(*) FROM card_load_match) + (SELECT count(*) FROM bacs_run_match) AS n`))[0].n;
    const m0 = await matches();
    const again = await runReconcileStage(ctx('2026-11-25'), CONFIRMATION_ONLY);
    expect(again.counts).toMatchObject({ 'confirm.cardLoadsConfirmed': 0, 'confirm.runsConfirmed': 0, 'cases.opened': 0 });
    expect(again.outcome).toBe('NOTHING_TO_DO');
    expect(await caseRows()).toEqual(before);
    expect(await matches()).toBe(m0);
  });

  it('four eyes on a case; closing the DEATH case lifts the hold on the next run', async () => {
    const [over] = await cases.list({ council: h.code, kind: 'OVERPAYMENT' });
    await cases.propose(over.id, 'Ann Officer');
    await expect(cases.approve(over.id, 'Ann Officer')).rejects.toBeInstanceOf(OfficerRefusal);
    expect((await cases.approve(over.id, 'Bob Officer')).status).toBe('APPROVED');

    const [death] = await cases.list({ council: h.code, kind: 'DEATH' });
    await cases.close(death.id, 'Ann Officer', { reason: 'checked with the family; DP ended in Mosaic' });
    await runPaymentStage(ctx('2026-12-02'));
    const dp2: { hold_reasons: string[] }[] = await h.ds.query(
      `SELECT hold_reasons FROM payment_line WHERE council = $1 AND dp_id = 'DP2' AND run_id = 'RC1-20261202-1'`, [h.code]);
    expect(dp2.length).toBeGreaterThan(0);
    for (const l of dp2) expect(l.hold_reasons).toEqual(['BACS_RETURN_BLOCK']);
    // Run of 25 Nov: processing 26, entry 27 Nov, debit due by Tue 1 Dec; no statement shows it.
    const r = await runReconcileStage(ctx('2026-12-02'), CONFIRMATION_ONLY);
    expect(r.counts).toMatchObject({ 'cases.opened.PAYMENT_UNCONFIRMED': 1, 'cases.opened': 1 });
    const run = (await cases.list({ council: h.code, kind: 'PAYMENT_UNCONFIRMED' })).find((x) => x.dpId === null)!;
    expect(run).toMatchObject({ evidence: [{ type: 'payment_run', id: 'RC1-20261125-1' }], detail: expect.objectContaining({ channel: 'BACS', confirmBy: '2026-12-01' }) });
  });
});

/**
 * A bank that itemises the run (one debit per credit, each with its EndToEndId) and reports one
 * death twice (a camt ARET with ISO MD07 and an ARUCS reason 2): the run is confirmed ITEMISED
 * with its three entries, and one DEATH case opens for the payee.
 */
describe('reconcile: an itemised statement and a death advised twice (RC2)', () => {
  let h: Harness;
  const ctx = (nightDate: string) => h.context(nightDate);
  beforeAll(async () => {
    h = await createHarness('RC2');
    await importThreeBankDps(h, { person: 'Q', dp: 'DQ' }, ['66374958', '12345678', '87654321']);
  });
  afterAll(() => h.close());

  it('confirms the run from its itemised debits and opens one DEATH case', async () => {
    await runPaymentStage(ctx('2026-11-11'));
    const c = await runCredits(h, 'RC2-20261111-1');
    expect(c).toHaveLength(3);
    const entries: CamtEntry[] = [
      ...c.map((x, i): CamtEntry => ({ amount: -BigInt(x.amount_pence), date: i === 2 ? '2026-11-13' : '2026-11-12', e2e: x.end_to_end_id, reference: x.payment_ref })),
      { amount: BigInt(c[0].amount_pence), date: '2026-11-13', reversal: true, subFamily: 'ARET', e2e: c[0].end_to_end_id, reason: 'MD07' },
    ];
    drop(h.dirs.bank, 'stmt_rc2.xml', camt053([{ account: 'GB29NWBK60161366374958', seq: '1', opening: 5000000n, closing: closingOf(5000000n, entries), entries }], 'RC2-M1'));
    drop(h.dirs.bank, 'arucs_rc2.csv', arucsCsv([{ reference: c[0].payment_ref, amount: pounds(BigInt(c[0].amount_pence)), reason: '2', returnDate: '2026-11-13' }]));
    await runBankInStage(ctx('2026-11-13'));
    const r = await runReconcileStage(ctx('2026-11-13'));
    expect(r.counts).toMatchObject({ 'confirm.runsConfirmed': 1, 'cases.opened': 1, 'cases.opened.DEATH': 1 });
    expect(await h.ds.query(`SELECT matched_by FROM bacs_run_match WHERE run_id = 'RC2-20261111-1'`)).toEqual([{ matched_by: 'ITEMISED' }]);
    const [{ n }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM bacs_run_match_entry WHERE run_id = 'RC2-20261111-1'`);
    expect(n).toBe(3);
    const deaths = await new CaseService(h.ds).list({ council: h.code, kind: 'DEATH' });
    expect(deaths.map((d) => [d.dpId, d.evidence.filter((e) => e.type === 'dp')])).toEqual([['DQ1', [{ type: 'dp', id: 'DQ1' }]]]);
  });
});
