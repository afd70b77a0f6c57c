import { sampleRun } from './__fixtures__/sample-run';
import { readSapCsv, writeSapCsv } from './sap-csv';
import { readSapIdoc, writeSapIdoc } from './sap-idoc';

describe('SAP ACC_DOCUMENT IDoc', () => {
  it('balances: vendor items carry -credit, GL items +line, summing to zero', () => {
    const read = readSapIdoc(writeSapIdoc(sampleRun()).content);
    expect(read.problems).toEqual([]);
    expect(read.credits.map((c) => [c.ref, c.vendorNo, c.amountPence, c.lineCount])).toEqual([
      ['HCC0001Q7', '100234', 57572n, 1],
      ['HCC0002K3', '100877', 49000n, 2], // 520.00 - 30.00; the zero line is not written
      ['HCC0003B9', '900001', 26000n, 1],
    ]);
    expect(read.totalPence).toBe(132572n);
  });

  it('puts no payment block on vendor items unless asked (SAP pays)', () => {
    const xml = writeSapIdoc(sampleRun()).content.toString('utf8');
    expect(xml).not.toContain('PMNT_BLOCK');
    expect(writeSapIdoc(sampleRun(), { paymentBlock: 'B' }).content.toString('utf8').match(/<PMNT_BLOCK>B</g)).toHaveLength(3);
  });

  it('flags an unbalanced document', () => {
    const xml = writeSapIdoc(sampleRun()).content.toString('utf8').replace('<AMT_DOCCUR>520.00<', '<AMT_DOCCUR>520.01<');
    expect(readSapIdoc(xml).problems).toEqual([
      'vendor item for HCC0002K3: GL lines do not sum to the vendor amount',
      'document does not balance to zero',
    ]);
  });

  it('refuses a run id longer than REF_DOC_NO', () => {
    const input = sampleRun();
    input.runId = 'HCC-20261209-1234';
    expect(() => writeSapIdoc(input)).toThrow('RUN_ID_TOO_LONG_FOR_SAP');
  });
});

describe('SAP AP flat file', () => {
  it('re-reads credits grouped by payment reference, with the trailer checked', () => {
    const read = readSapCsv(writeSapCsv(sampleRun()).content);
    expect(read.problems).toEqual([]);
    expect(read.declared).toEqual({ lines: 4, totalPence: 132572n });
    expect(read.credits.map((c) => [c.ref, c.amountPence, c.lineCount])).toEqual([
      ['HCC0001Q7', 57572n, 1], ['HCC0002K3', 49000n, 2], ['HCC0003B9', 26000n, 1],
    ]);
  });

  it('quotes fields per RFC 4180 and reads them back', () => {
    const input = sampleRun();
    input.credits[0].lines[0].costCentre = 'CC,"40"';
    const text = writeSapCsv(input).content.toString('utf8');
    expect(text).toContain(',"CC,""40""",');
    expect(readSapCsv(text).problems).toEqual([]);
  });

  it('flags a trailer that does not match', () => {
    const text = writeSapCsv(sampleRun()).content.toString('utf8').replace('T,4,1325.72', 'T,5,1325.72');
    expect(readSapCsv(text).problems).toEqual(['trailer count does not equal the detail records']);
  });
});
