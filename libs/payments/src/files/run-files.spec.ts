import { SAMPLE_REFS, SAMPLE_TOTAL_PENCE, sampleRun } from './__fixtures__/sample-run';
import { FinanceFileError } from './errors';
import type { PaymentFormat, PostingFormat } from './model';
import { readWrittenFile, verifyWrittenFile, writeRunFiles } from './run-files';

const POSTINGS: PostingFormat[] = ['SAP_IDOC', 'SAP_CSV'];
const PAYMENTS: PaymentFormat[] = ['NONE', 'BACS_STD18', 'PAIN001'];
const COMBOS = POSTINGS.flatMap((p) => PAYMENTS.map((q) => [p, q] as const));

describe('writeRunFiles', () => {
  it.each(COMBOS)('%s + %s: one posting file, at most one payment file, one card-load file per provider', (postingFormat, paymentFormat) => {
    const files = writeRunFiles(sampleRun(), { postingFormat, paymentFormat });
    expect(files.posting?.name).toMatch(postingFormat === 'SAP_IDOC' ? /_SAP_IDOC\.xml$/ : /_SAP_AP\.csv$/);
    if (paymentFormat === 'NONE') expect(files.payment).toBeUndefined();
    else expect(files.payment?.name).toMatch(paymentFormat === 'BACS_STD18' ? /_BACS_STD18\.txt$/ : /_PAIN001\.xml$/);
    expect(files.all.filter((f) => /_(BACS_STD18|PAIN001)\./.test(f.name)).length).toBe(paymentFormat === 'NONE' ? 0 : 1);
    expect(files.cardLoads.map((f) => f.name)).toEqual(['HCC_20261209_1_CARDLOAD_ALLPAY.csv']);
  });

  it('blocks SAP vendor items for payment only when dpbridge sends the money', () => {
    const none = writeRunFiles(sampleRun(), { postingFormat: 'SAP_IDOC', paymentFormat: 'NONE' });
    expect(none.posting?.content.toString()).not.toContain('PMNT_BLOCK');
    const bacs = writeRunFiles(sampleRun(), { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18', sapPaymentBlock: 'R' });
    expect(bacs.posting?.content.toString().match(/<PMNT_BLOCK>R</g)).toHaveLength(3);
  });

  it('writes one card-load file per provider, each with its own loads', () => {
    const input = sampleRun();
    // a fourth credit, to another provider's funding account
    input.credits.push({
      ...input.credits[2], paymentRef: 'HCC0004Z1', endToEndId: 'HCC-20261209-1-HCC0004Z1', payeeId: 'PY400', amountPence: 1500n,
      lines: [{ ...input.credits[2].lines[0], dpId: 'DP5005', payablePence: 1500n }],
    });
    input.cardLoads.push({ provider: 'PFS', accountRef: 'PF77', payeeId: 'PY400', amountPence: 1500n, reference: 'HCC0004Z1' });
    const files = writeRunFiles(input, { postingFormat: 'SAP_CSV', paymentFormat: 'NONE' });
    expect(files.cardLoads.map((f) => [f.name, f.records, f.totalPence])).toEqual([
      ['HCC_20261209_1_CARDLOAD_ALLPAY.csv', 1, 26000n],
      ['HCC_20261209_1_CARDLOAD_PFS.csv', 1, 1500n],
    ]);
  });

  it('writes no files for a run with no credits', () => {
    const input = sampleRun();
    input.credits = [];
    input.cardLoads = [];
    expect(writeRunFiles(input, { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18' }).all).toEqual([]);
  });

  it('is deterministic: two writes of the same input are byte-identical', () => {
    for (const [postingFormat, paymentFormat] of COMBOS) {
      const a = writeRunFiles(sampleRun(), { postingFormat, paymentFormat }).all;
      const b = writeRunFiles(sampleRun(), { postingFormat, paymentFormat }).all;
      expect(b.map((f) => f.name)).toEqual(a.map((f) => f.name));
      b.forEach((f, i) => expect(f.content.equals(a[i].content)).toBe(true));
    }
  });
});

describe('round trip and cross-format agreement', () => {
  const all = COMBOS.flatMap(([postingFormat, paymentFormat]) => writeRunFiles(sampleRun(), { postingFormat, paymentFormat }).all);
  const distinct = [...new Map(all.map((f) => [f.name, f])).values()];

  it('covers every format', () => {
    expect(distinct.map((f) => f.name.replace('HCC_20261209_1_', '')).sort()).toEqual([
      'BACS_STD18.txt', 'CARDLOAD_ALLPAY.csv', 'PAIN001.xml', 'SAP_AP.csv', 'SAP_IDOC.xml',
    ]);
  });

  it.each(distinct.map((f) => [f.name, f] as const))('%s re-reads to what was written, without problems', (_name, file) => {
    const read = readWrittenFile(file);
    expect(read.problems).toEqual([]);
    expect(read.records).toBe(file.records);
    expect(read.totalPence).toBe(file.totalPence);
  });

  it('every posting and payment format gives the same credits: count, references, amounts, total', () => {
    const input = sampleRun();
    const expected = input.credits.map((c) => [c.paymentRef, c.amountPence]);
    for (const f of distinct.filter((x) => !x.name.includes('CARDLOAD'))) {
      const read = readWrittenFile(f);
      expect([f.name, read.credits.map((c) => [c.ref, c.amountPence])]).toEqual([f.name, expected]);
      expect(read.records).toBe(3);
      expect(read.totalPence).toBe(SAMPLE_TOTAL_PENCE);
      expect(read.credits.map((c) => c.ref)).toEqual(SAMPLE_REFS);
    }
  });

  it('the card-load file splits exactly the credits paid to the card provider', () => {
    const card = readWrittenFile(distinct.find((f) => f.name.includes('CARDLOAD'))!);
    const bacs = readWrittenFile(distinct.find((f) => f.name.includes('BACS'))!);
    const funded = bacs.credits.filter((c) => card.credits.some((l) => l.ref === c.ref));
    expect(card.totalPence).toBe(funded.reduce((a, c) => a + c.amountPence, 0n));
    expect(card.credits).toEqual([{ ref: 'HCC0003B9', accountRef: 'AP0000123456', amountPence: 26000n }]);
  });
});

describe('verifyWrittenFile', () => {
  const files = writeRunFiles(sampleRun(), { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18' });

  it('passes each file against the manifest figures', () => {
    for (const f of [files.posting!, files.payment!]) {
      expect(verifyWrittenFile(f, { records: 3, totalPence: 132572n, refs: SAMPLE_REFS })).toMatchObject({ ok: true, problems: [] });
    }
    expect(verifyWrittenFile(files.cardLoads[0], { records: 1, totalPence: 26000n, refs: ['HCC0003B9'] }).ok).toBe(true);
  });

  it('fails on a different total, count or references', () => {
    const v = verifyWrittenFile(files.payment!, { records: 2, totalPence: 132571n, refs: ['HCC0001Q7', 'HCC0003B9', 'HCC0009XX'] });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      'records: file has 3, expected 2',
      'total: file total differs from the expected total',
      'references differ (missing: HCC0009XX; unexpected: HCC0002K3; or order)',
    ]);
  });

  it('fails when the bytes were altered after writing', () => {
    const text = files.payment!.content.toString('ascii').replace('00000049000', '00000049001');
    const v = verifyWrittenFile({ ...files.payment!, content: Buffer.from(text, 'ascii') }, { records: 3, totalPence: 132572n });
    expect(v.ok).toBe(false);
    expect(v.problems).toContain('contra amount does not equal the sum of the credits');
  });

  it('fails, without throwing, on an unreadable file', () => {
    const v = verifyWrittenFile({ ...files.posting!, content: Buffer.from('<ACC_DOCUMENT03><IDOC>') }, { records: 3, totalPence: 132572n });
    expect(v).toMatchObject({ ok: false, problems: ['file could not be read (XML_NOT_WELL_FORMED)'] });
  });
});

describe('input validation', () => {
  const formats = { postingFormat: 'SAP_CSV', paymentFormat: 'BACS_STD18' } as const;
  const fails = (mutate: (i: ReturnType<typeof sampleRun>) => void, rule: string) => {
    const input = sampleRun();
    mutate(input);
    let err: unknown;
    try { writeRunFiles(input, formats); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FinanceFileError);
    expect((err as FinanceFileError).rule).toBe(rule);
    // no personal data in the message: names, account numbers, sort codes
    for (const c of sampleRun().credits) {
      for (const secret of [c.accountName, c.accountNumber, c.sortCode]) expect((err as Error).message).not.toContain(secret);
    }
  };

  it('refuses a credit whose amount is not the sum of its lines', () => fails((i) => { i.credits[1].amountPence = 52000n; }, 'CREDIT_AMOUNT_NOT_SUM_OF_LINES'));
  it('refuses a credit netted to zero or below', () => fails((i) => {
    i.credits[1].lines[1].payablePence = -52000n; i.credits[1].amountPence = 0n;
  }, 'CREDIT_NOT_POSITIVE'));
  it('refuses a lower-case or too-long payment reference', () => fails((i) => { i.credits[0].paymentRef = 'hcc0001q7'; }, 'INVALID_PAYMENT_REF'));
  it('refuses a duplicate payment reference', () => fails((i) => { i.credits[1].paymentRef = 'HCC0001Q7'; }, 'DUPLICATE_PAYMENT_REF'));
  it('refuses a bad sort code', () => fails((i) => { i.credits[0].sortCode = '20-04-15'; }, 'INVALID_SORT_CODE'));
  it('refuses card loads that do not add up to their credit', () => fails((i) => { i.cardLoads[0].amountPence = 25999n; }, 'CARD_LOADS_NOT_EQUAL_CREDIT'));
  it('refuses a card load without a credit', () => fails((i) => { i.cardLoads[0].reference = 'HCC0009XX'; }, 'CARD_LOAD_WITHOUT_CREDIT'));
  it('refuses dates out of order', () => fails((i) => { i.processingDate = '2026-12-09'; }, 'DATES_OUT_OF_ORDER'));
  it('refuses an impossible date', () => fails((i) => { i.credits[0].lines[0].periodEnd = '2027-02-29'; }, 'INVALID_CIVIL_DATE'));
});
