import fc from 'fast-check';
import { buildManifest, draftManifest, serialiseManifest, type ManifestFileIn, type ManifestIn, type ManifestLineIn } from './manifest';

const line = (dpId: string, over: Partial<ManifestLineIn> = {}): ManifestLineIn => ({
  dpId, personId: `P-${dpId}`, payeeId: `Y-${dpId}`, kind: 'REGULAR', periodStart: '2026-11-02', periodEnd: '2026-11-08',
  grossPence: 10000n, contributionPence: 1500n, payablePence: 8500n, held: false, holdReasons: [], paymentRef: 'HCC000001', endToEndId: 'HCC-20261104-1-1',
  ...over,
});

const file = (name: string, n: number): ManifestFileIn => ({ name, sha256: 'ab'.repeat(32), records: n, totalPence: BigInt(n) * 100n });

describe('draftManifest', () => {
  const base: Omit<ManifestIn, 'files'> = {
    runId: 'HCC-20261104-1', council: 'HCC', runDate: '2026-11-04', held: false,
    lines: [line('DP2'), line('DP1', { held: true, holdReasons: ['FIRST_PAYMENT'], paymentRef: null, endToEndId: null }), line('DP3', { kind: 'ONE_OFF', payablePence: -5n })],
    recoveries: [{ dpId: 'DP9', reason: 'OVERPAYMENT', periodStart: '2026-10-26', periodEnd: '2026-11-01', amountPence: 700n }],
  };

  it.each([
    ['no files (a held run)', []],
    ['one file', [file('HCC_20261104_1_SAP_IDOC.xml', 3)]],
    ['several, given out of order', [file('HCC_20261104_1_SAP_IDOC.xml', 3), file('HCC_20261104_1_BACS_STD18.txt', 3), file('HCC_20261104_1_CARDLOAD_PFS.csv', 1)]],
  ])('gives the bytes of the whole manifest serialised at once: %s', (_name, files) => {
    const whole = buildManifest({ ...base, files });
    const out = draftManifest(base).withFiles(files);
    expect(out.manifestBytes.equals(serialiseManifest(whole))).toBe(true);
    expect(out.manifest).toEqual(whole);
  });

  it('agrees with the whole serialisation for any lines, recoveries and files', () => {
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ dpId: text, personId: text, held: fc.boolean(), reason: text, pence: fc.bigInt(-(10n ** 12n), 10n ** 12n) }), { maxLength: 8 }),
        fc.array(fc.record({ name: text, records: fc.nat(1000), pence: fc.bigInt(0n, 10n ** 12n) }), { maxLength: 4 }),
        (ls, fs) => {
          const m: Omit<ManifestIn, 'files'> = {
            ...base,
            lines: ls.map((l) => line(l.dpId, { personId: l.personId, held: l.held, holdReasons: l.held ? [l.reason] : [], payablePence: l.pence })),
          };
          const files = fs.map((f) => ({ name: f.name, sha256: 'cd'.repeat(32), records: f.records, totalPence: f.pence }));
          expect(draftManifest(m).withFiles(files).manifestBytes.equals(serialiseManifest(buildManifest({ ...m, files })))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
