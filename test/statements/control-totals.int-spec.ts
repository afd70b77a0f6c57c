/**
 * Control totals and input limits through the real intake (bank-in stage, PostgreSQL of the test
 * stack, file:// inboxes): a file that breaks one is quarantined whole, nothing from it is written,
 * and its report names the rule, the record and the field, never a value. Each file carries its
 * council's code (the intake ledger is keyed by content across councils).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { cardCsv } from '../support/bank-files';
import { drop, stackConfigured, testEnv, useStageBench } from '../support/council-harness';

const d = stackConfigured ? describe : describe.skip;
if (!stackConfigured) console.warn('control-totals.int-spec: DATABASE_URL not set (no test stack); skipping');

d('control totals and limits at the intake (PostgreSQL, file:// inboxes)', () => {
  const bench = useStageBench();
  const { q, newCouncil } = bench;
  const report = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, 'quarantine', `${name}.error.json`), 'utf8'));
  const written = async () => ({
    statements: Number((await q<{ n: string }>(`SELECT count(*) AS n FROM bank_statement WHERE council = $1`, [bench.council.code]))[0].n),
    cards: Number((await q<{ n: string }>(`SELECT count(*) AS n FROM card_txn WHERE council = $1`, [bench.council.code]))[0].n),
  });

  // 03 amounts 100000 + 84375, 16 amounts 16250 + 31875: account total 232500; 4/6/8 records.
  const bai2 = (acct: string, group: string, file: string) =>
    [
      `01,SENDER,${bench.council.code},261120,0600,1,,,2/`,
      '02,RECEIVER,SENDER,1,261119,2400,GBP,2/',
      '03,12345678,GBP,010,100000,,,015,84375,,/',
      '16,195,16250,0,BR1,DPB-RUN7-0001,FASTER PAYMENT/',
      '16,495,31875,0,BR2,DPB-RUN7-0002,BACS/',
      `49,${acct},4/`,
      `98,${group},1,6/`,
      `99,${file},1,8/`,
    ].join('\n') + '\n';

  it('a BAI2 file whose account, group and file totals are all wrong is quarantined; a consistent one is applied', async () => {
    newCouncil('CT');
    drop(bench.boxes.bank, 'bad.bai', bai2('232501', '232502', '232503'));
    const s = await runBankInStage(bench.context());
    expect(s.counts).toMatchObject({ 'bank.applied': 0, 'bank.quarantined': 1 });
    expect(await written()).toEqual({ statements: 0, cards: 0 });
    const r = report(bench.boxes.bank, 'bad.bai');
    expect(r.error.problems).toEqual([
      expect.objectContaining({ rule: 'CONTROL_TOTAL', recordId: 'account 1', field: '49 account control total', line: 6 }),
    ]);
    expect(JSON.stringify(r)).not.toContain('232501');
    expect(JSON.stringify(r)).not.toContain('12345678');

    drop(bench.boxes.bank, 'good.bai', bai2('232500', '232500', '232500'));
    const ok = await runBankInStage(bench.context());
    expect(ok.counts).toMatchObject({ 'bank.applied': 1, 'bank.quarantined': 0 });
    expect((await written()).statements).toBe(1);
  });

  it('with bankControlTotals: warn (a bank known to send inconsistent BAI2 trailers) the same file is applied with warnings', async () => {
    newCouncil('CW', { bankControlTotals: 'warn' });
    drop(bench.boxes.bank, 'lax.bai', bai2('232501', '232502', '232503'));
    const s = await runBankInStage(bench.context());
    expect(s.counts).toMatchObject({ 'bank.applied': 1, 'bank.quarantined': 0 });
    expect((await written()).statements).toBe(1);
    expect(s.warnings.join('\n')).toMatch(/parser warning\(s\) BAI2_/);
  });

  it('an MT940 statement whose :60F: + :61: differs from :62F: is quarantined', async () => {
    newCouncil('CT');
    const mt = [':20:' + bench.council.code, ':25:20000012345678', ':28C:9/1', ':60F:C261119GBP1000,00', ':61:261120C250,00NTRFNONREF', ':62F:C261120GBP1250,01', '-'].join('\r\n');
    drop(bench.boxes.bank, 'bad.sta', mt);
    await runBankInStage(bench.context());
    expect(report(bench.boxes.bank, 'bad.sta').error.problems).toEqual([
      expect.objectContaining({ rule: 'BALANCE_MISMATCH', recordId: 'statement 1', field: 'closingBalance' }),
    ]);
    expect(await written()).toEqual({ statements: 0, cards: 0 });
  });

  it('a card file with a 20 MB merchant name is quarantined naming the row line and column', async () => {
    newCouncil('CT');
    const good = cardCsv([{ txn: `${bench.council.code}-T1`, account: 'A1', at: '2026-11-20T09:00:00Z', status: 'SETTLED', amount: -100n, merchant: 'SHOP' }]);
    const huge = `${bench.council.code}-T2,A1,2026-11-20T10:00:00Z,POS,SETTLED,-100,GBP,5411,${'M'.repeat(20 * 1024 * 1024)},,\n`;
    drop(bench.boxes.card, 'cards_allpay_20261120.csv', good + huge);
    const s = await runBankInStage(bench.context());
    expect(s.counts).toMatchObject({ 'card.applied': 0, 'card.quarantined': 1 });
    expect(report(bench.boxes.card, 'cards_allpay_20261120.csv').error.problems).toEqual([
      expect.objectContaining({ rule: 'FIELD_TOO_LONG', field: 'merchant', line: 3 }),
    ]);
    expect(await written()).toEqual({ statements: 0, cards: 0 });
  });

  it('the limits come from the environment (DPB_PARSER_MAX_FIELD_CHARS)', async () => {
    newCouncil('CT');
    const rows = cardCsv([{ txn: `${bench.council.code}-T1`, account: 'A1', at: '2026-11-20T09:00:00Z', status: 'SETTLED', amount: -100n, merchant: 'S'.repeat(200) }]);
    drop(bench.boxes.card, 'cards_allpay_20261121.csv', rows);
    const s = await runBankInStage(bench.context('2026-11-20', testEnv({ DPB_PARSER_MAX_FIELD_CHARS: '100' })));
    expect(s.counts).toMatchObject({ 'card.quarantined': 1 });
    expect(report(bench.boxes.card, 'cards_allpay_20261121.csv').error.problems[0]).toMatchObject({ rule: 'FIELD_TOO_LONG', field: 'merchant' });
  });
});
