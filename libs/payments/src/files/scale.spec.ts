/**
 * Council scale: a 20,000-credit run (about 50,000 written lines, 2,000 card loads) written and
 * verified in every format. Totals are summed here from the generated amounts, independently of
 * the writers and readers; timing is not asserted (see bench/finance-files.bench.ts).
 */
import type { CardLoad, Credit, CreditLine, PaymentRunFilesInput, WrittenFile } from './model';
import { readWrittenFile, verifyWrittenFile, writeRunFiles } from './run-files';
import { sampleRun } from './__fixtures__/sample-run';

const CREDITS = 20_000;

/** Deterministic run; returns the expected figures computed while generating. */
function bigRun() {
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const credits: Credit[] = [];
  const cardLoads: CardLoad[] = [];
  let total = 0n;
  let lines = 0;
  let cardTotal = 0n;
  const names = ["Zoë O'Neill", 'Smith & Sons <Ltd>', 'A "Quoted" Name', 'Plain Name'];
  for (let i = 0; i < CREDITS; i++) {
    const ref = `S${String(i).padStart(8, '0')}`;
    const regular = BigInt(10_000 + (next() % 90_000));
    const adjustment = i % 2 ? -BigInt(1 + (next() % 5_000)) : 0n;
    const extra = i % 3 === 0 ? BigInt(1 + (next() % 20_000)) : 0n;
    const base = { periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: i % 5 ? 'CC1' : 'CC,"2"', glAccount: '520100' };
    const ls: CreditLine[] = [
      { ...base, dpId: `DP${i}A`, kind: 'REGULAR', payablePence: regular },
      { ...base, dpId: `DP${i}B`, kind: 'ADJUSTMENT', payablePence: adjustment }, // zero on even credits: not written
      { ...base, dpId: `DP${i}C`, kind: 'ONE_OFF', payablePence: extra },
    ];
    const amount = regular + adjustment + extra;
    lines += 1 + (adjustment !== 0n ? 1 : 0) + (extra !== 0n ? 1 : 0);
    total += amount;
    credits.push({
      paymentRef: ref, endToEndId: `E2E-${ref}`, payeeId: `P${i}`, vendorNo: `V${i}`,
      sortCode: String(200000 + (i % 700000)).padStart(6, '0'), accountNumber: String(10_000_000 + i),
      accountName: names[i % names.length], amountPence: amount, lines: ls,
    });
    if (i % 10 === 0) {
      cardLoads.push({ provider: i % 20 ? 'PFS' : 'ALLPAY', accountRef: `AC${i}`, payeeId: `P${i}`, amountPence: amount, reference: ref });
      cardTotal += amount;
    }
  }
  cardLoads.sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
  const input: PaymentRunFilesInput = { ...sampleRun(), credits, cardLoads };
  return { input, total, lines, cardTotal, refs: credits.map((c) => c.paymentRef) };
}

describe(`finance files at scale (${CREDITS} credits)`, () => {
  const run = bigRun();

  const check = (file: WrittenFile | undefined) => {
    if (!file) throw new Error('file not written');
    const v = verifyWrittenFile(file, { records: CREDITS, totalPence: run.total, refs: run.refs });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.read.records).toBe(CREDITS);
    expect(v.read.totalPence).toBe(run.total);
    return v.read;
  };

  it('SAP IDoc + Std 18 + card loads: every file verifies against independently summed totals', () => {
    const files = writeRunFiles(run.input, { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18' });
    const idoc = check(files.posting);
    expect(idoc.credits.reduce((n, c) => n + (c.lineCount ?? 0), 0)).toBe(run.lines);
    const std18 = check(files.payment);
    expect(std18.declared).toEqual({ records: CREDITS, totalPence: run.total });
    // Std 18 is fixed width: 7 labels of 80 and CREDITS + 1 records of 100, each with CRLF.
    expect(files.payment?.content.length).toBe(7 * 82 + (CREDITS + 1) * 102);
    const cards = files.cardLoads.map((f) => readWrittenFile(f));
    expect(files.cardLoads.map((f) => f.name.replace(/^.*_CARDLOAD_/, ''))).toEqual(['ALLPAY.csv', 'PFS.csv']);
    expect(cards.reduce((n, r) => n + r.records, 0)).toBe(CREDITS / 10);
    expect(cards.reduce((s, r) => s + r.totalPence, 0n)).toBe(run.cardTotal);
    cards.forEach((r) => expect(r.problems).toEqual([]));
  });

  it('SAP AP CSV + pain.001: every file verifies against independently summed totals', () => {
    const files = writeRunFiles(run.input, { postingFormat: 'SAP_CSV', paymentFormat: 'PAIN001' });
    const csv = check(files.posting);
    expect(csv.declared).toEqual({ lines: run.lines, totalPence: run.total });
    const pain = check(files.payment);
    expect(pain.declared).toEqual({ records: CREDITS, totalPence: run.total });
    expect(pain.credits[1]).toMatchObject({ ref: 'S00000001', endToEndId: 'E2E-S00000001', accountName: 'Smith Sons Ltd', currency: 'GBP' });
  });

  it('lays each file out in one buffer of exactly its size', () => {
    const files = writeRunFiles(run.input, { postingFormat: 'SAP_IDOC', paymentFormat: 'PAIN001' });
    for (const f of files.all) expect([f.name, f.content.buffer.byteLength]).toEqual([f.name, f.content.length]);
  });

  it('reports a wrong reference list briefly, not 20,000 references', () => {
    const files = writeRunFiles(run.input, { postingFormat: 'SAP_CSV', paymentFormat: 'NONE' });
    const v = verifyWrittenFile(files.posting as WrittenFile, { records: CREDITS, totalPence: run.total, refs: run.refs.map((r) => `X${r}`) });
    expect(v.ok).toBe(false);
    const message = v.problems.find((p) => p.startsWith('references differ')) ?? '';
    expect(message).toContain(`and ${CREDITS - 20} more`);
    expect(message.length).toBeLessThan(1000);
  });
});
