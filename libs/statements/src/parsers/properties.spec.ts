import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { parseBai2 } from './bai2/bai2-parser';
import { parseCamt } from './camt/camt-parser';
import { parseCardCsv } from './cards/card-csv';
import { CONFORMANCE } from './__fixtures__/conformance';
import { ParseError } from './errors';
import { checkIntegrity } from './integrity';
import { parseMt940 } from './mt940/mt940-parser';

const dec = (p: bigint, sep: string) => `${p / 100n}${sep}${String(p % 100n).padStart(2, '0')}`;
const pence = fc.bigInt({ min: 0n, max: 99_999_999_999n });
const day = fc.integer({ min: 1, max: 28 });
const yymmdd = (d: number) => `2611${String(d).padStart(2, '0')}`;

type Line = { mark: 'C' | 'D' | 'RC' | 'RD'; amount: bigint; d: number };
const lineArb = fc.record({ mark: fc.constantFrom('C' as const, 'D' as const, 'RC' as const, 'RD' as const), amount: pence, d: day });
const signed = (l: Line) => (l.mark === 'C' || l.mark === 'RD' ? l.amount : -l.amount);

function mt940(statements: { opening: bigint; lines: Line[] }[]): { text: string; closings: bigint[] } {
  const out: string[] = [];
  const closings: bigint[] = [];
  statements.forEach((s, i) => {
    const closing = s.lines.reduce((a, l) => a + signed(l), s.opening);
    closings.push(closing);
    const bal = (v: bigint) => `${v < 0n ? 'D' : 'C'}261101GBP${dec(v < 0n ? -v : v, ',')}`;
    out.push(`:20:REF${i}`, ':25:12345678', `:28C:${i + 1}/1`, `:60F:${bal(s.opening)}`);
    for (const l of s.lines) out.push(`:61:${yymmdd(l.d)}${l.mark}${dec(l.amount, ',')}NTRFNONREF`, ':86:TEXT');
    out.push(`:62F:${bal(closing)}`, '-');
  });
  return { text: out.join('\n'), closings };
}

describe('property: generated valid files parse to the generator totals', () => {
  it('MT940', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ opening: fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), lines: fc.array(lineArb, { maxLength: 8 }) }), { minLength: 1, maxLength: 4 }), (sts) => {
        const { text, closings } = mt940(sts);
        const f = parseMt940(text);
        expect(f.statements).toHaveLength(sts.length);
        f.statements.forEach((s, i) => {
          expect(s.openingBalanceMinor).toBe(sts[i].opening);
          expect(s.closingBalanceMinor).toBe(closings[i]);
          expect(s.entries.map((e) => e.amountMinor)).toEqual(sts[i].lines.map(signed));
          expect(s.entries.map((e) => e.reversal)).toEqual(sts[i].lines.map((l) => l.mark.startsWith('R')));
        });
        expect(checkIntegrity(f)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('camt.053', () => {
    const entryArb = fc.record({ credit: fc.boolean(), amount: pence, rvsl: fc.boolean(), booked: fc.boolean() });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.array(entryArb, { maxLength: 10 }), (opening, entries) => {
        const closing = entries.filter((e) => e.booked).reduce((a, e) => a + (e.credit ? e.amount : -e.amount), opening);
        const bal = (t: string, v: bigint) =>
          `<Bal><Tp><CdOrPrtry><Cd>${t}</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${dec(v < 0n ? -v : v, '.')}</Amt><CdtDbtInd>${v < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>`;
        const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>P1</MsgId></GrpHdr><Stmt><Acct><Id><IBAN>GB00X</IBAN></Id></Acct>${bal('OPBD', opening)}${bal('CLBD', closing)}${entries
          .map((e) => `<Ntry><Amt Ccy="GBP">${dec(e.amount, '.')}</Amt><CdtDbtInd>${e.credit ? 'CRDT' : 'DBIT'}</CdtDbtInd><RvslInd>${e.rvsl}</RvslInd><Sts>${e.booked ? 'BOOK' : 'PDNG'}</Sts></Ntry>`)
          .join('')}</Stmt></BkToCstmrStmt></Document>`;
        const f = parseCamt(xml);
        const s = f.statements[0];
        expect(s.entries.map((e) => [e.amountMinor, e.reversal, e.status])).toEqual(
          entries.map((e) => [e.credit ? e.amount : -e.amount, e.rvsl, e.booked ? 'BOOKED' : 'PENDING']),
        );
        expect([s.openingBalanceMinor, s.closingBalanceMinor]).toEqual([opening, closing]);
        expect(checkIntegrity(f)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('BAI2 with consistent trailers', () => {
    const detail = fc.record({ code: fc.constantFrom('165', '195', '399', '475', '495', '699'), amount: pence });
    fc.assert(
      fc.property(fc.array(fc.record({ opening: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), details: fc.array(detail, { maxLength: 6 }) }), { minLength: 1, maxLength: 4 }), (accounts) => {
        const lines = ['01,SENDER,RECEIVER,261120,0600,1,,,2/', '02,RECEIVER,SENDER,1,261119,2400,GBP,2/'];
        let group = 0n;
        let groupRecords = 2;
        accounts.forEach((a, i) => {
          const total = a.opening + a.details.reduce((x, d) => x + d.amount, 0n);
          lines.push(`03,ACC${i},GBP,010,${a.opening},,/`);
          for (const d of a.details) lines.push(`16,${d.code},${d.amount},0,BR${i},CR${i},TEXT/`);
          lines.push(`49,${total},${a.details.length + 2}/`);
          group += total;
          groupRecords += a.details.length + 2;
        });
        lines.push(`98,${group},${accounts.length},${groupRecords}/`, `99,${group},1,${groupRecords + 2}/`);
        const f = parseBai2(lines.join('\n'), { strict: true });
        f.statements.forEach((s, i) => {
          expect(s.openingBalanceMinor).toBe(accounts[i].opening);
          expect(s.entries.map((e) => e.amountMinor)).toEqual(accounts[i].details.map((d) => (Number(d.code) < 400 ? d.amount : -d.amount)));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('card CSV: BOOKED total equals the generator settled total', () => {
    const row = fc.record({ status: fc.constantFrom('SETTLED', 'PENDING', 'DECLINED'), amount: fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const csv = ['txn_id,account_ref,posted_at,type,status,amount_minor,currency', ...rows.map((r, i) => `T${i},A,2026-11-20T10:00:00Z,POS,${r.status},${r.amount},GBP`)].join('\n');
        const f = parseCardCsv(csv);
        const booked = f.statements.flatMap((s) => s.entries).filter((e) => e.status === 'BOOKED').reduce((a, e) => a + e.amountMinor, 0n);
        expect(booked).toBe(rows.filter((r) => r.status === 'SETTLED').reduce((a, r) => a + r.amount, 0n));
      }),
      { numRuns: 100 },
    );
  });
});

/** Either parses or throws ParseError: never another exception, never a hang. */
function onlyParseError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}

const mutation = (base: string) =>
  fc
    .array(fc.record({ at: fc.nat(), kind: fc.constantFrom('del', 'ins', 'cut'), ch: fc.constantFrom('<', '>', '/', ',', ':', '\n', '-', '9', 'A', '"', '&', '{', '?') }), { minLength: 1, maxLength: 6 })
    .map((ops) => {
      let s = base;
      for (const op of ops) {
        const i = s.length ? op.at % s.length : 0;
        if (op.kind === 'del') s = s.slice(0, i) + s.slice(i + 1);
        else if (op.kind === 'ins') s = s.slice(0, i) + op.ch + s.slice(i);
        else s = s.slice(0, i);
      }
      return s;
    });

function sample(...p: string[]): string | null {
  const f = path.join(CONFORMANCE, ...p);
  return fs.existsSync(f) ? fs.readFileSync(f, 'latin1') : null;
}

describe('property: mutated and random inputs fail only with ParseError', () => {
  const camt = sample('camt053', 'viafintech-camt_parser', 'valid_example_v4.xml') ?? '<Document/>';
  const mt = sample('mt940', 'WoLpH-mt940', 'betterplace', 'sepa_snippet.sta') ?? mt940([{ opening: 0n, lines: [] }]).text;
  const bai = sample('bai2', 'moov-io-bai2', 'sample2.txt') ?? '01,A,B,261120,0600,1,,,2/';
  const card = 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,balance_minor\nT1,A,2026-11-20T10:00:00Z,LOAD,SETTLED,100,GBP,100\nT2,A,2026-11-20T11:00:00+01:00,POS,SETTLED,-5,826,95\n';

  it('camt', () => fc.assert(fc.property(mutation(camt), (s) => onlyParseError(() => parseCamt(s))), { numRuns: 300 }));
  it('MT940', () => fc.assert(fc.property(mutation(mt), (s) => onlyParseError(() => parseMt940(s))), { numRuns: 300 }));
  it('BAI2', () => fc.assert(fc.property(mutation(bai), (s) => onlyParseError(() => parseBai2(s))), { numRuns: 300 }));
  it('card CSV', () => fc.assert(fc.property(mutation(card), (s) => onlyParseError(() => parseCardCsv(s))), { numRuns: 300 }));
  it('random strings and bytes', () =>
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))), (x) => {
        for (const p of [parseCamt, parseMt940, parseBai2, parseCardCsv]) onlyParseError(() => p(x as string));
      }),
      { numRuns: 300 },
    ));
});
