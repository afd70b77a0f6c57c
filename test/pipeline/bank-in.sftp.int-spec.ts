/**
 * End to end over the real OpenSSH SFTP server of the test stack: a camt.053 statement and a card
 * file picked up from sftp:// inboxes (pinned host key), imported once, archived on the server;
 * the same bytes dropped again have no second effect.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { camt053, cardCsv, closingOf, type CamtEntry } from '../support/bank-files';
import { drop, makeCouncil, openTestDataSource, stackConfigured, stageContext, testEnv, uniqueCode } from '../support/council-harness';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';

const env = process.env;
const sftp = ['DPB_SFTP_HOST', 'DPB_SFTP_PORT', 'DPB_SFTP_USER', 'DPB_SFTP_PRIVATE_KEY_FILE', 'DPB_SFTP_KNOWN_HOSTS', 'DPB_SFTP_ROOT'].every(
  (k) => (env[k] ?? '') !== '',
);
const d = stackConfigured && sftp ? describe : describe.skip;
if (!(stackConfigured && sftp)) console.warn('bank-in.sftp.int-spec: no test stack (DATABASE_URL / DPB_SFTP_*); skipping');

d('bank-in stage over SFTP (OpenSSH)', () => {
  let ds: DataSource;
  let local: string;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (local) fs.rmSync(local, { recursive: true, force: true });
  });

  it('imports a statement and a card file from sftp:// inboxes exactly once and archives them', async () => {
    const sub = `bankin-${randomBytes(4).toString('hex')}`;
    local = path.join(env.DPB_SFTP_ROOT as string, sub);
    const remote = path.posix.join(env.DPB_SFTP_REMOTE_ROOT || (env.DPB_SFTP_ROOT as string), sub);
    fs.mkdirSync(path.join(local, 'bank'), { recursive: true });
    fs.mkdirSync(path.join(local, 'card'), { recursive: true });
    const base = `sftp://${env.DPB_SFTP_USER}@${env.DPB_SFTP_HOST}:${env.DPB_SFTP_PORT}${remote}`;
    const council = makeCouncil(uniqueCode('SF'), { bankInbox: `${base}/bank`, cardInbox: `${base}/card` });
    // 250.00 + 40.00 - 15.00 = 275.00
    const entries: CamtEntry[] = [{ amount: 4000n, reference: 'X' }, { amount: -1500n, e2e: 'E-SFTP-1' }];
    const xml = camt053([{ account: '11112222', seq: '1', opening: 25000n, closing: closingOf(25000n, entries), entries }], council.code);
    const csv = cardCsv([
      { txn: `${council.code}-1`, account: 'C1', at: '2026-11-20T10:00:00Z', status: 'SETTLED', amount: -700n, balance: 9300n },
      { txn: `${council.code}-2`, account: 'C1', at: '2026-11-20T11:00:00Z', status: 'DECLINED', amount: -100n },
    ]);
    drop(path.join(local, 'bank'), 'stmt_20261120.xml', xml);
    drop(path.join(local, 'card'), 'cards_allpay_20261120.csv', csv);
    const ctx = stageContext(ds, council, '2026-11-20', testEnv());
    const s = await runBankInStage(ctx);
    expect(s.counts).toMatchObject({ 'bank.applied': 1, 'bank.records': 2, 'card.applied': 1, 'card.records': 2 });
    expect(fs.existsSync(path.join(local, 'bank', 'archive', '2026', '11', '20', 'stmt_20261120.xml'))).toBe(true);
    expect(fs.existsSync(path.join(local, 'card', 'archive', '2026', '11', '20', 'cards_allpay_20261120.csv'))).toBe(true);
    const [b] = await ds.query(`SELECT state, closing_minor FROM bank_statement WHERE council = $1`, [council.code]);
    expect(b).toEqual({ state: 'POSTED', closing_minor: '27500' });
    const cards = await ds.query(`SELECT status FROM card_txn WHERE council = $1 ORDER BY txn_id`, [council.code]);
    expect(cards).toEqual([{ status: 'SETTLED' }, { status: 'DECLINED' }]);

    // The same bytes again (another name): archived without a second effect.
    drop(path.join(local, 'card'), 'cards_allpay_20261120-resend.csv', csv);
    const again = await runBankInStage(ctx);
    expect(again.counts).toMatchObject({ 'card.applied': 0, 'card.duplicates': 1 });
    expect(await ds.query(`SELECT count(*)::int AS n FROM card_txn WHERE council = $1`, [council.code])).toEqual([{ n: 2 }]);
  });
});
