/**
 * The bank-in stage against the real PostgreSQL of the test stack, with file:// inboxes:
 * statement integrity and continuity, card dedupe across overlapping files, Bacs returns and
 * expected files. Expected figures are derived by hand in each test (see the comments).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  arucsCsv, camt053, cardCsv, closingOf, type CamtEntry, type CamtStatement,
} from '../support/bank-files';
import { drop, stackConfigured, stageContext, useStageBench } from '../support/council-harness';
import { seedCredit } from './fixtures';
import { expectedFileWindow } from '@dpb/statements';
import { londonToday } from '@dpb/pipeline/clock';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';

const d = stackConfigured ? describe : describe.skip;
if (!stackConfigured) console.warn('bank-in.int-spec: DATABASE_URL not set (no test stack); skipping');

// The intake ledger is keyed by content across councils: every file here carries its council's code.
const PAY = (amount: bigint, e2e?: string): CamtEntry => ({ amount, e2e, reference: 'DP NOV', counterparty: 'A PAYEE' });

d('bank-in stage (PostgreSQL, file:// inboxes)', () => {
  const bench = useStageBench();
  const { q, newCouncil } = bench;
  const run = (c = bench.council, now?: number) => runBankInStage(stageContext(bench.ds, c), now === undefined ? {} : { now: () => now });
  const statements = () =>
    q<{ id: string; sequence: string; state: string; entry_count: number }>(
      `SELECT id, sequence, state, entry_count FROM bank_statement WHERE council = $1 ORDER BY id`, [bench.council.code]);
  const camt = (st: CamtStatement[], msg = 'M1') => camt053(st, `${bench.council.code}-${msg}`);
  const findings = () =>
    q<{ statement_id: string; code: string; state: string; blocking: boolean; detail: Record<string, string> }>(
      `SELECT statement_id, code, state, blocking, detail FROM integrity_finding WHERE council = $1 ORDER BY id`, [bench.council.code]);
  const ledgerCount = async () => Number((await q<{ n: string }>(`SELECT count(*) AS n FROM bank_ledger_entry WHERE council = $1`, [bench.council.code]))[0].n);

  // Statement 41: 1000.00 - 575.00 + 100.00 = 525.00; statement 42 carries on from 525.00.
  const e41 = [PAY(-57500n, 'E2E-41-1'), PAY(10000n)];
  const s41: CamtStatement = { account: '12345678', seq: '41', opening: 100000n, closing: closingOf(100000n, e41), entries: e41 };
  const e42 = [PAY(-2500n, 'E2E-42-1')];
  const s42: CamtStatement = { account: '12345678', seq: '42', opening: 52500n, closing: closingOf(52500n, e42), entries: e42 };
  const e43 = [PAY(-1000n)];
  const s43: CamtStatement = { account: '12345678', seq: '43', opening: 50000n, closing: closingOf(50000n, e43), entries: e43 };

  describe('bank statements', () => {
    it('posts a continuous run of statements and archives the files', async () => {
      newCouncil('BK');
      expect(s41.closing).toBe(52500n);
      drop(bench.boxes.bank, 'stmt41.xml', camt([s41]));
      const first = await run();
      expect(first.counts).toMatchObject({ 'bank.applied': 1, 'bank.quarantined': 0, 'bank.records': 2 });
      drop(bench.boxes.bank, 'stmt42.xml', camt([s42]));
      await run();
      expect(await statements()).toEqual([
        expect.objectContaining({ sequence: '41', state: 'POSTED', entry_count: 2 }),
        expect.objectContaining({ sequence: '42', state: 'POSTED', entry_count: 1 }),
      ]);
      expect(await findings()).toEqual([]);
      expect(await ledgerCount()).toBe(3);
      const [e] = await q<{ amount_minor: string; end_to_end_id: string; status: string }>(
        `SELECT amount_minor, end_to_end_id, status FROM bank_ledger_entry WHERE council = $1 AND line_no = 1 ORDER BY id LIMIT 1`, [bench.council.code]);
      expect(e).toEqual({ amount_minor: '-57500', end_to_end_id: 'E2E-41-1', status: 'BOOKED' });
      expect(fs.readdirSync(bench.boxes.bank)).toEqual(['archive']);
    });

    it('quarantines a file whose statement does not add up (opening + entries != closing), writing nothing', async () => {
      newCouncil('BK');
      // 1000.00 - 575.00 + 100.00 = 525.00, but the bank says 500.00
      drop(bench.boxes.bank, 'bad.xml', camt([s41, { ...s41, seq: '42', opening: 52500n, closing: 50000n }]));
      const s = await run();
      expect(s.counts).toMatchObject({ 'bank.applied': 0, 'bank.quarantined': 1 });
      expect(await statements()).toEqual([]);
      const report = JSON.parse(fs.readFileSync(path.join(bench.boxes.bank, 'quarantine', 'bad.xml.error.json'), 'utf8'));
      expect(report.error.problems).toEqual([expect.objectContaining({ rule: 'BALANCE_MISMATCH', recordId: 'statement 2' })]);
      expect(JSON.stringify(report)).not.toContain('12345678'); // no account number in the report
      expect(JSON.stringify(report)).not.toContain('A PAYEE');
    });

    it('holds a statement after a sequence gap and releases it when the missing statement arrives', async () => {
      newCouncil('BK');
      drop(bench.boxes.bank, 'a.xml', camt([s41]));
      await run();
      drop(bench.boxes.bank, 'c.xml', camt([s43]));
      const held = await run();
      // 43 follows 41: sequence gap; and its opening 500.00 is not 41's closing 525.00
      expect((await statements()).map((s) => [s.sequence, s.state])).toEqual([['41', 'POSTED'], ['43', 'HELD']]);
      const f = await findings();
      expect(f.map((x) => [x.code, x.state, x.blocking])).toEqual([
        ['BALANCE_DISCONTINUITY', 'OPEN', true],
        ['SEQUENCE_GAP', 'OPEN', true],
      ]);
      expect(f[0].detail).toMatchObject({ expectedMinor: '52500', actualMinor: '50000' });
      expect(held.counts['findings.openBlocking']).toBe(2);
      expect(await ledgerCount()).toBe(2); // 43's entry is stored but not posted
      drop(bench.boxes.bank, 'b.xml', camt([s42]));
      await run();
      // 42 follows 41 (525.00) and ends at 500.00 = 43's opening: 43 is released
      expect((await statements()).map((s) => [s.sequence, s.state])).toEqual([['41', 'POSTED'], ['43', 'POSTED'], ['42', 'POSTED']]);
      expect((await findings()).map((x) => x.state)).toEqual(['RESOLVED', 'RESOLVED']);
      expect(await ledgerCount()).toBe(4);
    });

    it('holds an opening balance that does not follow the last closing balance', async () => {
      newCouncil('BK');
      drop(bench.boxes.bank, 'a.xml', camt([s41]));
      await run();
      drop(bench.boxes.bank, 'b.xml', camt([{ ...s42, opening: 53000n, closing: closingOf(53000n, e42) }]));
      await run();
      expect((await statements()).map((s) => s.state)).toEqual(['POSTED', 'HELD']);
      expect(await findings()).toEqual([
        expect.objectContaining({ code: 'BALANCE_DISCONTINUITY', blocking: true, detail: expect.objectContaining({ expectedMinor: '52500', actualMinor: '53000' }) }),
      ]);
    });

    it('never posts a resent statement twice; the same sequence with other content is held', async () => {
      newCouncil('BK');
      drop(bench.boxes.bank, 'a.xml', camt([s41], 'M1'));
      await run();
      drop(bench.boxes.bank, 'a-again.xml', camt([s41], 'M2')); // other bytes, same statement
      const again = await run();
      expect(again.counts).toMatchObject({ 'bank.applied': 1, 'bank.duplicates': 0 });
      expect((await statements()).map((s) => s.state)).toEqual(['POSTED', 'DUPLICATE']);
      expect(await ledgerCount()).toBe(2);
      const changed = [PAY(-57500n, 'E2E-41-1'), PAY(20000n)];
      drop(bench.boxes.bank, 'a-changed.xml', camt([{ ...s41, entries: changed, closing: closingOf(100000n, changed) }], 'M3'));
      await run();
      expect((await statements()).map((s) => s.state)).toEqual(['POSTED', 'DUPLICATE', 'HELD']);
      expect((await findings()).map((f) => [f.code, f.state])).toEqual([['STATEMENT_RESENT', 'RESOLVED'], ['SEQUENCE_DUPLICATE', 'OPEN']]);
      expect(await ledgerCount()).toBe(2);
      drop(bench.boxes.bank, 'a-same-bytes.xml', camt([s41], 'M1')); // identical bytes: the intake ledger stops it
      const dup = await run();
      expect(dup.counts).toMatchObject({ 'bank.applied': 0, 'bank.duplicates': 1 });
    });

    it('quarantines a card file dropped in the bank inbox', async () => {
      newCouncil('BK');
      drop(bench.boxes.bank, 'cards_allpay_20261120.csv', cardCsv([{ txn: 'T1', account: 'A1', at: '2026-11-20T10:00:00Z', status: 'SETTLED', amount: -100n }]));
      const s = await run();
      expect(s.counts).toMatchObject({ 'bank.quarantined': 1 });
    });
  });

  describe('card files', () => {
    const cardRows = async () =>
      q<{ txn_id: string; status: string; amount_minor: string; mcc: string | null }>(
        `SELECT txn_id, status, amount_minor, mcc FROM card_txn WHERE council = $1 ORDER BY txn_id`, [bench.council.code]);

    it('never counts a transaction twice across overlapping files; later statuses update it; declined items are kept', async () => {
      newCouncil('CD');
      // Day 1: opening 100.00; T1 pending, T2 settled -5.00 (95.00), T3 a declined gambling attempt.
      drop(bench.boxes.card, 'cards_allpay_20261119.csv', cardCsv([
        { txn: 'T1', account: 'A1', at: '2026-11-19T09:00:00Z', status: 'PENDING', amount: -1250n },
        { txn: 'T2', account: 'A1', at: '2026-11-19T10:00:00Z', status: 'SETTLED', amount: -500n, balance: 9500n },
        { txn: 'T3', account: 'A1', at: '2026-11-19T11:00:00Z', status: 'DECLINED', amount: -2000n, mcc: '7995', merchant: 'BETS' },
      ]));
      const day1 = await run();
      expect(day1.counts).toMatchObject({ 'card.applied': 1, 'card.records': 3 });
      // Day 2 overlaps: T2 again (same content), T1 now settled (82.50), a load +100.00 (182.50), POS -3.00 (179.50).
      drop(bench.boxes.card, 'cards_allpay_20261120.csv', cardCsv([
        { txn: 'T2', account: 'A1', at: '2026-11-19T10:00:00Z', status: 'SETTLED', amount: -500n, balance: 9500n },
        { txn: 'T1', account: 'A1', at: '2026-11-19T09:00:00Z', status: 'SETTLED', amount: -1250n, balance: 8250n },
        { txn: 'T4', account: 'A1', at: '2026-11-20T08:00:00Z', type: 'LOAD', status: 'SETTLED', amount: 10000n, balance: 18250n },
        { txn: 'T5', account: 'A1', at: '2026-11-20T12:00:00Z', status: 'SETTLED', amount: -300n, balance: 17950n },
      ]));
      await run();
      expect(await cardRows()).toEqual([
        { txn_id: 'T1', status: 'SETTLED', amount_minor: '-1250', mcc: null },
        { txn_id: 'T2', status: 'SETTLED', amount_minor: '-500', mcc: null },
        { txn_id: 'T3', status: 'DECLINED', amount_minor: '-2000', mcc: '7995' },
        { txn_id: 'T4', status: 'SETTLED', amount_minor: '10000', mcc: null },
        { txn_id: 'T5', status: 'SETTLED', amount_minor: '-300', mcc: null },
      ]);
      // Settled total -5.00 -12.50 +100.00 -3.00 = +79.50: 100.00 + 79.50 = 179.50, the last balance given.
      const [sum] = await q<{ s: string }>(`SELECT sum(amount_minor) AS s FROM card_txn WHERE council = $1 AND status = 'SETTLED'`, [bench.council.code]);
      expect(10000n + BigInt(sum.s)).toBe(17950n);
      const events = await q<{ txn_id: string; status: string }>(
        `SELECT txn_id, status FROM card_txn_event WHERE council = $1 ORDER BY txn_id, id`, [bench.council.code]);
      // history is kept for txns with more than one version: T1 (pending, then settled)
      expect(events).toEqual([{ txn_id: 'T1', status: 'PENDING' }, { txn_id: 'T1', status: 'SETTLED' }]);
      expect(await findings()).toEqual([]);

      // Day 3: T6 -0.50 (179.00), then T5 reversed: +3.00 back (182.00), using T5's stored settled amount.
      drop(bench.boxes.card, 'cards_allpay_20261121.csv', cardCsv([
        { txn: 'T6', account: 'A1', at: '2026-11-21T08:00:00Z', status: 'SETTLED', amount: -50n, balance: 17900n },
        { txn: 'T5', account: 'A1', at: '2026-11-20T12:00:00Z', status: 'REVERSED', amount: -300n, balance: 18200n },
      ]));
      await run();
      expect((await cardRows()).find((r) => r.txn_id === 'T5')?.status).toBe('REVERSED');
      expect(await q(`SELECT status FROM card_txn_event WHERE council = $1 AND txn_id = 'T5' ORDER BY id`, [bench.council.code])).toEqual([
        { status: 'SETTLED' }, { status: 'REVERSED' },
      ]);
      expect(await findings()).toEqual([]);

      // An older file arriving late never rolls T1 back to pending.
      drop(bench.boxes.card, 'cards_allpay_20261118.csv', cardCsv([
        { txn: 'T1', account: 'A1', at: '2026-11-19T09:00:00Z', status: 'PENDING', amount: -1250n },
      ]));
      await run();
      expect((await cardRows()).find((r) => r.txn_id === 'T1')?.status).toBe('SETTLED');
      expect(await cardRows()).toHaveLength(6);
    });

    it('flags a running balance that disagrees with balance_minor, and still imports the file', async () => {
      newCouncil('CD');
      // 10.00 after T10; T11 -2.00 should leave 8.00, the file says 7.00
      drop(bench.boxes.card, 'cards_allpay_20261122.csv', cardCsv([
        { txn: 'T10', account: 'A9', at: '2026-11-22T08:00:00Z', status: 'SETTLED', amount: -100n, balance: 1000n },
        { txn: 'T11', account: 'A9', at: '2026-11-22T09:00:00Z', status: 'SETTLED', amount: -200n, balance: 700n },
        { txn: 'T12', account: 'A8', at: '2026-11-22T09:00:00Z', status: 'SETTLED', amount: -200n, balance: 800n },
      ]));
      const s = await run();
      expect(s.counts).toMatchObject({ 'card.applied': 1 });
      expect(await findings()).toEqual([
        expect.objectContaining({ code: 'CARD_RUNNING_BALANCE', blocking: false, state: 'OPEN', detail: expect.objectContaining({ rows: 1, sampleRows: [2] }) }),
      ]);
      expect(await cardRows()).toHaveLength(3);
    });

    it('quarantines a file with a bad row or a txn_id moving to another card, writing nothing', async () => {
      newCouncil('CD');
      drop(bench.boxes.card, 'cards_allpay_20261119.csv', cardCsv([
        { txn: 'T1', account: 'A1', at: '2026-11-19T09:00:00Z', status: 'SETTLED', amount: -100n },
      ]));
      await run();
      const bad = cardCsv([
        { txn: 'T7', account: 'A1', at: '2026-11-20T09:00:00Z', status: 'SETTLED', amount: -100n },
      ]) + 'T8,A1,2026-11-20T10:00:00Z,POS,SETTLED,12.50,GBP,,,,\n';
      drop(bench.boxes.card, 'cards_allpay_20261120.csv', bad);
      drop(bench.boxes.card, 'cards_allpay_20261121.csv', cardCsv([
        { txn: 'T9', account: 'A1', at: '2026-11-21T09:00:00Z', status: 'SETTLED', amount: -100n },
        { txn: 'T1', account: 'A2', at: '2026-11-19T09:00:00Z', status: 'SETTLED', amount: -100n },
      ]));
      const s = await run();
      expect(s.counts).toMatchObject({ 'card.applied': 0, 'card.quarantined': 2 });
      expect((await cardRows()).map((r) => r.txn_id)).toEqual(['T1']);
      const r1 = JSON.parse(fs.readFileSync(path.join(bench.boxes.card, 'quarantine', 'cards_allpay_20261120.csv.error.json'), 'utf8'));
      expect(r1.error.problems[0]).toMatchObject({ rule: 'BAD_AMOUNT', recordId: 'row 2' });
      const r2 = JSON.parse(fs.readFileSync(path.join(bench.boxes.card, 'quarantine', 'cards_allpay_20261121.csv.error.json'), 'utf8'));
      expect(r2.error.problems).toEqual([expect.objectContaining({ rule: 'CONFLICTING_ROW', recordId: 'row 2', field: 'account_ref' })]);
      // the connection is healthy after the aborted import
      drop(bench.boxes.card, 'cards_allpay_20261123.csv', cardCsv([{ txn: 'T20', account: 'A1', at: '2026-11-23T09:00:00Z', status: 'SETTLED', amount: -1n }]));
      await run();
      expect((await cardRows()).map((r) => r.txn_id)).toEqual(['T1', 'T20']);
    });

    it("maps a provider's own headers from council settings", async () => {
      newCouncil('CD', {
        cardFiles: { PFS: { mapping: { Id: 'txn_id', Card: 'account_ref', When: 'posted_at', Kind: 'type', State: 'status', Pence: 'amount_minor', Ccy: 'currency', Shop: 'merchant' } } },
      });
      drop(bench.boxes.card, 'cards_pfs_20261120.csv', 'Id,Card,When,Kind,State,Pence,Ccy,Shop\nP1,C1,2026-11-20T10:00:00+00:00,POS,SETTLED,-999,826,CAFE\n');
      await run();
      expect(await q(`SELECT provider, txn_id, amount_minor, currency FROM card_txn WHERE council = $1`, [bench.council.code])).toEqual([
        { provider: 'PFS', txn_id: 'P1', amount_minor: '-999', currency: 'GBP' },
      ]);
    });
  });

  describe('Bacs returns', () => {
    it('matches camt ARET and ARUCS returns to their credits, blocks the payees and alerts a death', async () => {
      newCouncil('RT');
      await seedCredit(bench.ds, { council: bench.council.code, payeeId: 'P1', paymentRef: 'DPB000001', endToEndId: `${bench.council.code}-E1`, amountPence: 16250n });
      await seedCredit(bench.ds, { council: bench.council.code, payeeId: 'P2', paymentRef: 'DPB000002', endToEndId: `${bench.council.code}-E2`, amountPence: 50000n });
      // The bank returns P1's 162.50 (ARET, closed account) on the statement...
      const entries: CamtEntry[] = [
        { amount: 16250n, reversal: true, subFamily: 'ARET', e2e: `${bench.council.code}-E1`, reason: 'AC04' },
        PAY(-1000n),
      ];
      drop(bench.boxes.bank, 'stmt.xml', camt([{ account: '87654321', seq: '7', opening: 0n, closing: closingOf(0n, entries), entries }]));
      // ...and ARUCS advises P2's 500.00 (deceased) by payment reference, plus one we never paid.
      drop(bench.boxes.bank, 'arucs_20261124.csv', arucsCsv([
        { reference: 'dpb000002 ', amount: '500.00', reason: '2' },
        { reference: 'NOT-OURS', amount: '12.00', reason: 'B' },
      ]));
      const s = await run();
      expect(s.counts).toMatchObject({ 'bank.applied': 2, 'returns.matched': 2, 'returns.unmatched': 1, 'returns.payeesBlocked': 2, 'returns.deathAlerts': 1 });
      const rows = await q(`SELECT source, state, payee_id, matched_by, amount_agrees, deceased, reason_code FROM bacs_return WHERE council = $1 ORDER BY source, line_no`, [bench.council.code]);
      expect(rows).toEqual([
        { source: 'ARUCS', state: 'MATCHED', payee_id: 'P2', matched_by: 'PAYMENT_REF', amount_agrees: true, deceased: true, reason_code: '2' },
        { source: 'ARUCS', state: 'UNMATCHED', payee_id: null, matched_by: null, amount_agrees: null, deceased: false, reason_code: 'B' },
        { source: 'STATEMENT', state: 'MATCHED', payee_id: 'P1', matched_by: 'END_TO_END_ID', amount_agrees: true, deceased: false, reason_code: 'AC04' },
      ]);
      expect(await q(`SELECT payee_id, bacs_return_blocked FROM payee WHERE council = $1 ORDER BY payee_id`, [bench.council.code])).toEqual([
        { payee_id: 'P1', bacs_return_blocked: true }, { payee_id: 'P2', bacs_return_blocked: true },
      ]);
      expect(await q(`SELECT payee_id, kind, state FROM return_alert WHERE council = $1`, [bench.council.code])).toEqual([
        { payee_id: 'P2', kind: 'DEATH_WORKFLOW', state: 'OPEN' },
      ]);
      expect(s.warnings.some((w) => w.startsWith('ALERT') && w.includes('deceased'))).toBe(true);
      expect(JSON.stringify(s)).not.toContain('A PERSON');
      // Idempotent: a second run matches nothing new.
      const again = await run();
      expect(again.counts).toMatchObject({ 'returns.matched': 0, 'returns.unmatched': 1, 'returns.deathAlerts': 0 });
    });
  });

  describe('expected files', () => {
    it('reports an inbox with no file by its cut-off, and not before', async () => {
      const night = londonToday();
      newCouncil('EX', { expectedFiles: { bank: { cutoff: '00:00' }, card: { cutoff: '00:00' } } });
      drop(bench.boxes.bank, 'a.xml', camt([s41]));
      const { dueMs } = expectedFileWindow(night, '00:00');
      const ctx = stageContext(bench.ds, bench.council, night);
      const after = await runBankInStage(ctx, { now: () => dueMs + 1000 });
      expect(after.counts).toMatchObject({ 'expected.bank': 'RECEIVED', 'expected.card': 'MISSING' });
      expect(after.warnings).toContain('ALERT: no card file received by the 00:00 cut-off');
      const before = await runBankInStage(ctx, { now: () => dueMs - 1000 });
      expect(before.counts).toMatchObject({ 'expected.bank': 'RECEIVED', 'expected.card': 'NOT_DUE' });
    });
  });
});
