import * as fs from 'fs';
import * as path from 'path';
import type { Statement } from '../model';
import { cases, CONFORMANCE } from './__fixtures__/conformance';
import { detectFormat } from './detect';
import { checkContinuity } from './integrity';
import { toInspectJson } from './inspect-json';

const st = (sequence: string | null, opening: bigint | null): Statement => ({
  account: 'A', currency: 'GBP', sequence, openingBalanceMinor: opening, closingBalanceMinor: null, entries: [],
});
const codes = (prev: { closing: bigint | null; sequence: string | null } | null, s: Statement) =>
  checkContinuity(prev, s).map((f) => f.code);

describe('checkContinuity', () => {
  it('accepts the next number, or the next page of the same number', () => {
    expect(codes(null, st('1', 0n))).toEqual([]);
    expect(codes({ closing: 500n, sequence: '41' }, st('42', 500n))).toEqual([]);
    expect(codes({ closing: 500n, sequence: '7/1' }, st('7/2', 500n))).toEqual([]);
    expect(codes({ closing: 500n, sequence: '00007/002' }, st('00008/001', 500n))).toEqual([]);
  });
  it('flags balance breaks, duplicates, gaps and restarts', () => {
    expect(codes({ closing: 500n, sequence: '41' }, st('42', 499n))).toEqual(['BALANCE_DISCONTINUITY']);
    expect(codes({ closing: 500n, sequence: '41' }, st('41', 500n))).toEqual(['SEQUENCE_DUPLICATE']);
    expect(codes({ closing: 500n, sequence: '41' }, st('43', 500n))).toEqual(['SEQUENCE_GAP']);
    expect(codes({ closing: 500n, sequence: '7/1' }, st('7/3', 500n))).toEqual(['SEQUENCE_GAP']);
    expect(codes({ closing: 500n, sequence: '365' }, st('1', 500n))).toEqual(['SEQUENCE_RESTART']);
    expect(codes({ closing: null, sequence: 'ABC' }, st('XYZ', 1n))).toEqual([]);
  });
});

describe('toInspectJson', () => {
  it('is exactly the docs/pipeline.md inspect shape with numbers for amounts', () => {
    const json = toInspectJson({
      format: 'camt.053',
      statements: [{
        account: '12345678', currency: 'GBP', sequence: '1', openingBalanceMinor: 0n, closingBalanceMinor: -1250n,
        entries: [{ amountMinor: -1250n, bookingDate: '2026-11-20', valueDate: '2026-11-20', status: 'BOOKED', reversal: false,
          reference: 'R', endToEndId: 'E', counterparty: 'C', mcc: null, extra: { acctSvcrRef: 'X' } }],
      }],
      warnings: [{ code: 'W', message: 'm' }],
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      format: 'camt.053',
      statements: [{ account: '12345678', currency: 'GBP', sequence: '1', openingBalanceMinor: 0, closingBalanceMinor: -1250,
        entries: [{ amountMinor: -1250, bookingDate: '2026-11-20', valueDate: '2026-11-20', status: 'BOOKED', reversal: false,
          reference: 'R', endToEndId: 'E', counterparty: 'C', mcc: null }] }],
    });
  });
});

const FORMAT: Record<string, string> = { camt053: 'camt.053', camt054: 'camt.054', mt940: 'mt940', bai2: 'bai2' };
const d = fs.existsSync(CONFORMANCE) ? describe : describe.skip;
d('detectFormat on the conformance corpus', () => {
  for (const sub of Object.keys(FORMAT)) {
    for (const c of cases(sub)) {
      if (c.spec.expectOutcome === 'reject') continue;
      it(`${sub}: ${c.file}`, () => {
        const head = fs.readFileSync(path.join(c.dir, c.file)).subarray(0, 4096);
        expect(detectFormat(head, c.file)).toBe(FORMAT[sub]);
      });
    }
  }
});

describe('detectFormat on small heads', () => {
  it('recognises card files, Mosaic exports and nonsense', () => {
    expect(detectFormat(Buffer.from('txn_id,account_ref,posted_at,type\n'))).toBe('cards-csv');
    expect(detectFormat(Buffer.from('Id,Card,When\n1,2,3'), 'inbox/cards_allpay_20261120.csv')).toBe('cards-csv');
    expect(detectFormat(Buffer.from('\uFEFFperson_id,nhs_number\n'))).toBe('mosaic-csv');
    expect(detectFormat(Buffer.from('<?xml version="1.0"?>\n<MosaicExport xmlns="urn:dpbridge:mosaic-export:1">'))).toBe('mosaic-xml');
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('mosaic-csv');
    expect(detectFormat(Buffer.from('hello world'))).toBeNull();
    expect(detectFormat(Buffer.alloc(0))).toBeNull();
  });
});
