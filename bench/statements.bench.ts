/**
 * `npm run bench` part for statements: generates a 1,000,000-row card file and a large camt.053
 * (200 MB by default), imports each through the real intake (file:// inbox, SHA-256 ledger, one
 * transaction per file) and reports MB/s, rows/s and peak RSS per format. Runs from compiled JS
 * (dist/bench/statements.bench.js); no test-only imports. Rows are deleted afterwards unless `keep`.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { intakeInbox } from '@dpb/pipeline/intake';
import { createCardApplier, createStatementApplier } from '@dpb/statements';
import { openEndpoint } from '@dpb/transport';

export interface BenchStatementsOptions {
  ds: DataSource;
  /** Scratch folder for the generated files (inboxes are made inside it). */
  dir: string;
  cardRows?: number;
  camtMegabytes?: number;
  /** A short run (100,000 card rows, 20 MB camt.053) for smoke checks. */
  quick?: boolean;
  /** Keep the imported rows (default: delete them). */
  keep?: boolean;
}

async function writeLines(file: string, lines: () => Generator<string>): Promise<number> {
  const out = fs.createWriteStream(file);
  let buf = '';
  for (const l of lines()) {
    buf += l;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return fs.statSync(file).size;
}

function* cardLines(rows: number, run: string): Generator<string> {
  yield 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor\n';
  const accounts = 10_000;
  const balance: bigint[] = new Array<bigint>(accounts).fill(100_000n);
  for (let i = 0; i < rows; i++) {
    const a = i % accounts;
    const settled = i % 10 !== 9; // every tenth item is pending: it does not move the balance
    const amount = -BigInt(1 + (i % 5000));
    if (settled) balance[a] += amount;
    const sec = i % 86_400;
    const at = `2026-11-20T${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}Z`;
    yield `${run}-${i},ACC${a},${at},POS,${settled ? 'SETTLED' : 'PENDING'},${amount},GBP,5411,SHOP ${i % 97},,${settled ? balance[a] : ''}\n`;
  }
}

function pounds(p: bigint): string {
  const a = p < 0n ? -p : p;
  return `${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

function* camtLines(targetBytes: number, run: string): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
    `<GrpHdr><MsgId>${run}</MsgId><CreDtTm>2026-11-20T06:00:00</CreDtTm></GrpHdr>\n`;
  const perStatement = 5000;
  let bytes = 0;
  for (let s = 0; bytes < targetBytes; s++) {
    const entries: string[] = [];
    let sum = 0n;
    for (let i = 0; i < perStatement; i++) {
      const amount = BigInt(((i * 7919) % 100_000) + 1) * (i % 3 === 0 ? 1n : -1n);
      sum += amount;
      entries.push(`<Ntry><Amt Ccy="GBP">${pounds(amount)}</Amt><CdtDbtInd>${amount < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
        `<BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>${run}-${s}-${i}</AcctSvcrRef>` +
        `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ACDT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls>` +
        `<Refs><EndToEndId>${run}-E${s}-${i}</EndToEndId></Refs><RltdPties><Cdtr><Pty><Nm>PAYEE ${i % 500}</Nm></Pty></Cdtr></RltdPties>` +
        `<RmtInf><Ustrd>DP PAYMENT ${s} ${i}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`);
    }
    const opening = 1_000_000_000n;
    const bal = (t: string, v: bigint) => `<Bal><Tp><CdOrPrtry><Cd>${t}</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${pounds(v)}</Amt>` +
      `<CdtDbtInd>${v < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>`;
    const block = `<Stmt><Id>${run}-${s}</Id><ElctrncSeqNb>1</ElctrncSeqNb><Acct><Id><Othr><Id>${run}-${s}</Id></Othr></Id><Ccy>GBP</Ccy></Acct>` +
      bal('OPBD', opening) + bal('CLBD', opening + sum) + '\n' + entries.join('') + '</Stmt>\n';
    bytes += block.length;
    yield block;
  }
  yield `</BkToCstmrStmt></Document>\n`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

export async function benchStatements(opts: BenchStatementsOptions): Promise<Record<string, unknown>> {
  const { ds } = opts;
  const run = randomBytes(4).toString('hex').toUpperCase();
  const council = `BENCH${run.slice(0, 6)}`;
  const log = pino({ level: 'silent' });
  const root = fs.mkdtempSync(path.join(opts.dir, 'dpb-bench-statements-'));
  const bankDir = path.join(root, 'bank');
  const cardDir = path.join(root, 'card');
  fs.mkdirSync(bankDir);
  fs.mkdirSync(cardDir);
  const cardRows = opts.cardRows ?? (opts.quick ? 100_000 : 1_000_000);
  const camtBytes = (opts.camtMegabytes ?? (opts.quick ? 20 : 200)) * 2 ** 20;
  const out: Record<string, unknown> = { council };
  try {
    const cardName = 'cards_bench_20261120.csv';
    const cardSize = await writeLines(path.join(cardDir, cardName), () => cardLines(cardRows, run));
    fs.writeFileSync(path.join(cardDir, `${cardName}.done`), '');
    const camtName = 'camt053_bench.xml';
    const camtSize = await writeLines(path.join(bankDir, camtName), () => camtLines(camtBytes, run));
    fs.writeFileSync(path.join(bankDir, `${camtName}.done`), '');

    const intake = async (dir: string, applier: ReturnType<typeof createCardApplier>) => {
      const ep = await openEndpoint(`file://${dir}`, { stabilityMs: 0 });
      try {
        return await intakeInbox({ ds, endpoint: ep, applier, council, nightDate: '2026-11-20', log });
      } finally {
        await ep.close();
      }
    };
    let cardCounts: Record<string, number> | undefined;
    const cardApplier = createCardApplier();
    const card = await timed(() =>
      intake(cardDir, {
        source: 'card',
        apply: async (m, input) => {
          const r = await cardApplier.apply(m, input);
          cardCounts = r.counts;
          return r;
        },
      }),
    );
    if (card.result.applied !== 1) throw new Error(`card bench file was not applied (${card.result.warnings.join('; ')})`);
    out['cards-csv'] = {
      bytes: cardSize, rows: card.result.records, seconds: round(card.seconds),
      mbPerSecond: round(cardSize / 2 ** 20 / card.seconds), rowsPerSecond: Math.round(card.result.records / card.seconds),
      peakRssMb: card.peakRssMb, under60s: card.seconds < 60, steps: cardCounts,
    };
    const camt = await timed(() => intake(bankDir, createStatementApplier()));
    if (camt.result.applied !== 1) throw new Error(`camt bench file was not applied (${camt.result.warnings.join('; ')})`);
    out['camt.053'] = {
      bytes: camtSize, entries: camt.result.records, seconds: round(camt.seconds),
      mbPerSecond: round(camtSize / 2 ** 20 / camt.seconds), rowsPerSecond: Math.round(camt.result.records / camt.seconds),
      peakRssMb: camt.peakRssMb,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    if (!opts.keep) await cleanup(ds, council);
  }
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function cleanup(ds: DataSource, council: string): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(`DELETE FROM card_txn_event WHERE council = $1`, [council]);
    await m.query(`DELETE FROM card_txn WHERE council = $1`, [council]);
    await m.query(`DELETE FROM integrity_finding WHERE council = $1`, [council]);
    await m.query(`DELETE FROM bacs_return WHERE council = $1`, [council]);
    await m.query(`DELETE FROM bank_entry WHERE council = $1`, [council]);
    await m.query(`DELETE FROM bank_statement WHERE council = $1`, [council]);
    await m.query(`DELETE FROM inbound_file WHERE council = $1`, [council]);
  });
}
