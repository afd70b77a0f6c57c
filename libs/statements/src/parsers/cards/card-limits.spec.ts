import { Readable } from 'stream';
import { asyncRejectionOf, rejectionOf } from '../__fixtures__/rejection';
import { parseCardCsv, streamCardCsv } from './card-csv';

const HEADER = 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor';
const row = (merchant: string, id = 'T1') => `${id},AP1,2026-11-20T10:00:00Z,POS,SETTLED,-1250,GBP,5411,${merchant},,48750`;

const drain = async (rows: AsyncIterable<unknown>) => {
  for await (const _ of rows) void _;
};
const streamed = (chunks: (string | Buffer)[], opts = {}) =>
  asyncRejectionOf(() => drain(streamCardCsv(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), opts)));
const whole = (text: string | Buffer) => rejectionOf(() => parseCardCsv(text));

describe('card CSV limits', () => {
  it('20 MB merchant name: refused while streaming (before the line ends), naming row line and column', async () => {
    const name = 'M'.repeat(64 * 1024);
    const chunks = [`${HEADER}\n${row('SHOP A')}\nT2,AP1,2026-11-20T11:00:00Z,POS,SETTLED,-100,GBP,5411,`];
    let served = 0;
    const source = (function* () {
      yield Buffer.from(chunks[0]);
      for (let i = 0; i < 320; i++) {
        served++;
        yield Buffer.from(name); // 320 x 64 KB = 20 MB
      }
      yield Buffer.from(',,48650\n');
    })();
    expect(await asyncRejectionOf(() => drain(streamCardCsv(Readable.from(source))))).toMatchObject({ code: 'FIELD_TOO_LONG', line: 3, field: 'merchant' });
    expect(served).toBeLessThan(3);
  });

  it('an over-long column on the fast path, on the quoted (csv-parse) path and in a whole file', async () => {
    const long = 'M'.repeat(5000);
    expect(await streamed([`${HEADER}\n${row(long)}\n`])).toMatchObject({ code: 'FIELD_TOO_LONG', line: 2, field: 'merchant' });
    expect(await streamed([`${HEADER}\n${row('"A, B"')}\n${row(`"${long}"`, 'T2')}\n`])).toMatchObject({ code: 'FIELD_TOO_LONG', line: 3, field: 'merchant' });
    // past a line plus a field csv-parse stops reading: the column it had reached is named
    const huge = `"${'M'.repeat(20_000)}"`;
    expect(await streamed([`${HEADER}\n${row('"A, B"')}\n${row(huge, 'T2')}\n`])).toMatchObject({ code: 'LINE_TOO_LONG', line: 3, field: 'merchant' });
    expect(whole(`${HEADER}\n${row(long)}\n`)).toMatchObject({ code: 'FIELD_TOO_LONG', record: 'row 1', field: 'merchant' });
  });

  it("a provider's mapped column is named by its canonical name", async () => {
    const mapped = HEADER.replace('merchant', 'Merchant Name');
    const mapping = Object.fromEntries(HEADER.split(',').map((c) => [c === 'merchant' ? 'Merchant Name' : c, c])) as never;
    expect(await streamed([`${mapped}\n${row('M'.repeat(5000))}\n`], { mapping })).toMatchObject({ code: 'FIELD_TOO_LONG', field: 'merchant' });
  });

  it('invalid UTF-8: refused with its line, streamed (fast and quoted path) or whole', async () => {
    const bad = Buffer.concat([Buffer.from(`${HEADER}\n${row('SHOP A')}\n${row('CAF', 'T2').split('CAF')[0]}`), Buffer.from([0xff]), Buffer.from(`,,48750\n`)]);
    expect(await streamed([bad])).toMatchObject({ code: 'INVALID_UTF8', line: 3 });
    const quoted = Buffer.concat([Buffer.from(`${HEADER}\n${row('"A, B"')}\n${row('X', 'T2')}\n"`), Buffer.from([0xc3, 0x28]), Buffer.from(`"\n`)]);
    expect(await streamed([quoted])).toMatchObject({ code: 'INVALID_UTF8', line: 4 });
    expect(whole(bad)).toMatchObject({ code: 'INVALID_UTF8', line: 3 });
  });

  it('UTF-8 split between chunks is read as it is', async () => {
    const text = Buffer.from(`${HEADER}\n${row('CAFÉ €')}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += 5) chunks.push(text.subarray(i, i + 5));
    const rows = [];
    for await (const r of streamCardCsv(Readable.from(chunks))) rows.push(r);
    expect(rows.map((r) => r.merchant)).toEqual(['CAFÉ €']);
  });
});
