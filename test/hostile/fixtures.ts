/**
 * The hostile-input corpus, made at test time (nothing binary is committed): what a broken or
 * hostile counterparty could drop into the care, bank and card inboxes. Every entry names the
 * inbox, the file name, what it is, and the reason it must be quarantined with (the first
 * problem's rule in its `.error.json`).
 *
 * Sparse files cost no disk: `fs.truncateSync` to a large size. Zip bombs are built from one
 * compressed block, so making them costs a fraction of a second.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { writeExtractCsv } from '@dpb/care-records';
import { makeZip, type ZipEntryInput } from '@dpb/care-records/readers/testing/make-zip';
import { camt053, closingOf } from '../support/bank-files';
import { cloneExtract, sampleExtract, toXml, trailerFor, type Extract } from '../support/extracts';

export type Inbox = 'care' | 'bank' | 'card';

export interface HostileFile {
  inbox: Inbox;
  name: string;
  what: string;
  /** The rule the file must be quarantined with. */
  rule: string;
  /** A known gap: the statement parsers still apply the file (a rule they do not check yet).
   * Quarantined with any rule passes; applied, it is listed by the spec. */
  pending?: string;
}

interface Made extends HostileFile {
  write(file: string): void | Promise<void>;
}

/** Deterministic bytes (no Math.random: the corpus is the same on every run). */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const once = (text: string, from: string | RegExp, to: string | ((match: string, ...groups: string[]) => string)): string => {
  const out = typeof to === 'string' ? text.replace(from, to) : text.replace(from, to);
  if (out === text) throw new Error(`corpus: ${String(from)} not found`);
  return out;
};

async function csvEntries(x: Extract, trailerOf: Extract = x): Promise<ZipEntryInput[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-hostile-csv-'));
  try {
    const trailer = { ...(await trailerFor(trailerOf)), persons: x.persons.length };
    await writeExtractCsv({ header: x.header, persons: () => x.persons, payees: () => x.payees, directPayments: () => x.dps, trailer }, dir);
    return fs.readdirSync(dir).sort().map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)), deflate: true }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const editEntry = (entries: ZipEntryInput[], name: string, f: (text: string) => string | Buffer): ZipEntryInput[] =>
  entries.map((e) => {
    if (e.name !== name) return e;
    const data = f(e.data.toString('utf8'));
    return { ...e, data: Buffer.isBuffer(data) ? data : Buffer.from(data) };
  });

const MT940 = [
  ':20:STMT-H1',
  ':25:20000012345678',
  ':28C:1/1',
  ':60F:C261119GBP1000,00',
  ':61:2611201120D100,00NTRFDPB-H-0001//BK1',
  ':86:DP PAYMENT',
  ':62F:C261120GBP900,00',
  '-',
].join('\r\n');

const BAI2 = [
  '01,SENDER,RECEIVER,261120,0600,1,,,2/',
  '02,RECEIVER,SENDER,1,261119,2400,GBP,2/',
  '03,12345678,GBP,010,100000,,/',
  '16,495,10000,0,BR1,CR1,DP PAYMENT/',
  '49,110000,3/',
  '98,110000,1,5/',
  '99,110000,1,7/',
].join('\n');

const CARD_HEADER = 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor';
const cardRow = (i: number, over: Partial<Record<'amount' | 'at' | 'merchant' | 'txn', string>> = {}) =>
  `${over.txn ?? `TX-H${i}`},CARD-ACC-${i},${over.at ?? '2026-11-20T10:00:00Z'},POS,SETTLED,${over.amount ?? '-1250'},GBP,5411,${over.merchant ?? 'GROCER'},REF${i},`;

const camtBase = (i: number) => camt053([{ account: `GB00HOST${String(i).padStart(8, '0')}`, seq: String(i), opening: 100000n, closing: closingOf(100000n, [{ amount: -2500n }]), entries: [{ amount: -2500n }] }], `MSG-H${i}`);

const XXE = (root: string) => `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${root.replace('>', '>&xxe;')}`;
const LAUGHS = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>\n`;

/**
 * Writes the corpus into the three inbox folders and returns what each file must become.
 * `maxFileBytes` is the test's DPB_MAX_FILE_BYTES (sparse files go over and under it);
 * `zipMaxInflatedBytes` its DPB_ZIP_MAX_INFLATED_BYTES.
 */
export async function writeHostileCorpus(
  council: string,
  dirs: Record<Inbox, string>,
  limits: { maxFileBytes: number; zipMaxInflatedBytes: number },
): Promise<HostileFile[]> {
  const x = sampleExtract(council, 12, { date: '2026-11-23', seed: 'hostile' });
  const xml = (await toXml(x)).toString('utf8');
  const csv = await csvEntries(x);
  const made: Made[] = [];
  const add = (inbox: Inbox, name: string, what: string, rule: string, content: string | Buffer | ((file: string) => void | Promise<void>), pending?: string) =>
    made.push({ inbox, name, what, rule, pending, write: typeof content === 'function' ? content : (file) => fs.writeFileSync(file, content) });

  // ---- care: XML ------------------------------------------------------------------------------
  add('care', 'c01-truncated.xml', 'XML cut in half', 'PARSE_ERROR', xml.slice(0, Math.floor(xml.length / 2)));
  add('care', 'c02-truncated-in-tag.xml', 'XML cut inside a start tag', 'PARSE_ERROR', xml.slice(0, xml.indexOf('<Payee') + 4));
  add('care', 'c03-corrupt-bytes.xml', 'XML with 64 bytes of 0xFF in the middle', 'INVALID_ENCODING', (() => {
    const b = Buffer.from(xml);
    b.fill(0xff, b.length >> 1, (b.length >> 1) + 64);
    return b;
  })());
  add('care', 'c04-invalid-utf8.xml', 'a lone UTF-8 lead byte inside a name', 'INVALID_ENCODING', Buffer.concat([Buffer.from(xml.slice(0, xml.indexOf('first="') + 7)), Buffer.from([0xc3, 0x28]), Buffer.from(xml.slice(xml.indexOf('first="') + 7))]));
  add('care', 'c05-latin1.xml', 'declares ISO-8859-1', 'PARSE_ERROR', once(xml, 'encoding="UTF-8"', 'encoding="ISO-8859-1"'));
  add('care', 'c06-trailer-persons.xml', 'trailer person count off by one', 'trailer-count', once(xml, / persons="(\d+)"/, ` persons="${x.persons.length + 1}"`));
  add('care', 'c07-trailer-payees.xml', 'trailer payee count off by one', 'trailer-count', once(xml, / payees="(\d+)"/, ` payees="${x.payees.length - 1}"`));
  add('care', 'c08-trailer-dps.xml', 'trailer DP count off by one', 'trailer-count', once(xml, /directPayments="(\d+)"/, `directPayments="${x.dps.length + 1}"`));
  add('care', 'c09-trailer-total.xml', 'trailer total one penny out', 'trailer-total', once(xml, /totalWeeklyGross="(\d+)\.(\d\d)"/, (_m: string, p: string, d: string) => `totalWeeklyGross="${p}.${String((Number(d) + 1) % 100).padStart(2, '0')}"`));
  add('care', 'c10-negative-amount.xml', 'a negative weekly gross', 'money-format', once(xml, /weeklyGross="[\d.]+"/, 'weeklyGross="-150.00"'));
  add('care', 'c11-float-amount.xml', 'an amount in exponent notation', 'money-format', once(xml, /weeklyGross="[\d.]+"/, 'weeklyGross="1e9"'));
  add('care', 'c12-sub-penny.xml', 'an amount with three decimals', 'money-format', once(xml, /weeklyGross="[\d.]+"/, 'weeklyGross="150.005"'));
  add('care', 'c13-impossible-date.xml', '30 February', 'date-format', once(xml, /start="[\d-]+"/, 'start="2026-02-30"'));
  add('care', 'c14-date-order.xml', 'a DP ending before it starts', 'date-order', once(xml, /start="([\d-]+)" end=""/, 'start="2026-09-14" end="2026-01-01"'));
  add('care', 'c15-duplicate-dp-id.xml', 'two DPs with one id', 'id-unique', xml.replace(/<DirectPayment id="(DP\d+)"([\s\S]*?)<DirectPayment id="DP\d+"/, '<DirectPayment id="$1"$2<DirectPayment id="$1"'));
  add('care', 'c16-dangling-person.xml', 'a DP naming a person not in the file', 'reference-exists', once(xml, /personId="P\d+"/, 'personId="P999999"'));
  add('care', 'c17-xxe.xml', 'an external entity (XXE)', 'PARSE_ERROR', XXE(xml.slice(xml.indexOf('<MosaicExport'))));
  add('care', 'c18-billion-laughs.xml', 'entity expansion (billion laughs)', 'PARSE_ERROR', `${LAUGHS}${xml.slice(xml.indexOf('<MosaicExport')).replace('<Person ', '<Person first="&lol9;" ')}`);
  add('care', 'c19-deep-nesting.xml', '100,000 nested elements', 'PARSE_ERROR', `${xml.slice(0, xml.indexOf('<Person'))}${'<DirectPayment>'.repeat(100_000)}`);
  add('care', 'c20-huge-attribute.xml', 'a 1 MB attribute value', 'FIELD_TOO_LONG', once(xml, /first="[^"]*"/, `first="${'A'.repeat(1024 * 1024)}"`));
  add('care', 'c21-huge-whitespace.xml', '8 MB of blanks between two elements', 'FIELD_TOO_LONG', xml.replace('<Payee', `${' '.repeat(8 * 1024 * 1024)}<Payee`));
  add('care', 'c22-huge-text.xml', '4 MB of text inside an element', 'FIELD_TOO_LONG', xml.replace('<Payee', `<Payee>${'x'.repeat(4 * 1024 * 1024)}`));
  add('care', 'c23-binary.xml', '256 KB of noise', 'INVALID_ENCODING', noise(256 * 1024, 23));
  add('care', 'c24-wrong-document.xml', 'a camt.053 in the care inbox', 'PARSE_ERROR', camtBase(24));
  add('care', 'c25-nul-reference.xml', 'a character reference to NUL', 'PARSE_ERROR', once(xml, /first="[^"]*"/, 'first="A&#0;B"'));
  add('care', 'c26-cdata.xml', 'a CDATA section', 'PARSE_ERROR', xml.replace('<Payee', '<![CDATA[x]]><Payee'));
  add('care', 'c27-other-council.xml', "another council's extract", 'COUNCIL_MISMATCH', xml.replace(/council="[A-Z0-9]+"/, 'council="ZZZ"').replace(/extractId="[^"]*"/, 'extractId="ZZZ-20261123-0100"'));

  // ---- care: zips of CSV files ------------------------------------------------------------------
  add('care', 'c30-zip-slip.zip', 'a zip entry named ../../x.csv', 'ZIP_ENTRY_NAME', makeZip([...csv, { name: '../../x.csv', data: Buffer.from('pwned\n') }]));
  add('care', 'c31-zip-absolute.zip', 'a zip entry with an absolute path', 'ZIP_ENTRY_NAME', makeZip([{ name: '/etc/cron.d/x.csv', data: Buffer.from('x\n') }, ...csv]));
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  const zerosDeflated = deflateRawSync(zeros, { level: 9 });
  const zeros8 = zeros.subarray(0, 8 * 1024 * 1024);
  add('care', 'c32-zip-bomb-ratio.zip', '8 MiB of zeros in 8 KiB (ratio 1000, under the total)', 'ZIP_COMPRESSION_RATIO', makeZip(csv.map((e) => (e.name === 'rates.csv' ? { name: e.name, data: zeros8, deflate: true } : e))));
  add('care', 'c32b-zip-bomb-declared.zip', '64 MiB of zeros declared honestly (over the total)', 'ZIP_INFLATED_TOO_LARGE', makeZip(csv.map((e) => (e.name === 'rates.csv' ? { name: e.name, data: zeros, compressed: zerosDeflated } : e))));
  add('care', 'c33-zip-bomb-liar.zip', 'an entry that declares 1 KB and inflates to 64 MiB', 'ZIP_UNREADABLE', makeZip(csv.map((e) => (e.name === 'rates.csv' ? { name: e.name, data: zeros, compressed: zerosDeflated, declaredSize: 1024 } : e))));
  add('care', 'c34-zip-bomb-count.zip', '20,000 entries', 'ZIP_TOO_MANY_ENTRIES', makeZip([...csv, ...Array.from({ length: 20_000 }, (_, i) => ({ name: `e${i}.txt`, data: Buffer.alloc(0) }))]));
  const bulk = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `row,${i},${(i * 7919) % 100_003},filler-text\n`).join(''));
  const bulkEntries = Array.from({ length: Math.ceil(limits.zipMaxInflatedBytes / bulk.length) + 1 }, (_, i) => ({ name: `extra${i}.csv`, data: bulk, deflate: true }));
  add('care', 'c35-zip-too-large.zip', `CSV entries inflating past ${limits.zipMaxInflatedBytes} bytes in all`, 'ZIP_INFLATED_TOO_LARGE', makeZip([...csv, ...bulkEntries]));
  const good = makeZip(csv);
  add('care', 'c36-zip-truncated.zip', 'a zip cut short', 'ZIP_UNREADABLE', good.subarray(0, good.length - 40));
  add('care', 'c37-zip-corrupt-deflate.zip', 'a deflated entry with damaged bytes', 'ZIP_UNREADABLE', makeZip(csv.map((e) => (e.name === 'persons.csv' ? { ...e, compressed: noise(deflateRawSync(e.data).length, 37) } : e))));
  add('care', 'c38-zip-encrypted.zip', 'an entry flagged as encrypted', 'ZIP_UNREADABLE', (() => {
    const z = Buffer.from(good);
    // set the encryption bit (general purpose flag bit 0) in every central directory header
    for (let i = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) z[i + 8] |= 1;
    return z;
  })());
  add('care', 'c39-csv-huge-field.zip', 'a 1 MB CSV field', 'FIELD_TOO_LONG', makeZip(editEntry(csv, 'persons.csv', (t) => t.replace(/\r?\n/, (nl) => `${nl}${noise(768 * 1024, 39).toString('base64')}`))));
  add('care', 'c40-csv-open-quote.zip', 'a quote that never closes', 'PARSE_ERROR', makeZip(editEntry(csv, 'payees.csv', (t) => `${t}"unterminated,`)));
  add('care', 'c41-csv-invalid-utf8.zip', 'invalid UTF-8 in a CSV file', 'INVALID_ENCODING', makeZip(editEntry(csv, 'persons.csv', (t) => Buffer.concat([Buffer.from(t), Buffer.from([0xe2, 0x28, 0xa1, 0x0a])]))));
  add('care', 'c42-csv-missing-trailer.zip', 'no trailer.csv', 'missing-file', makeZip(csv.filter((e) => e.name !== 'trailer.csv')));
  const y = cloneExtract(x);
  y.persons.pop();
  add('care', 'c43-csv-dangling-person.zip', 'a DP whose person row is missing', 'reference-exists', makeZip(await csvEntries(y, x)));

  // ---- care: sizes and names --------------------------------------------------------------------
  add('care', 'c50-empty.xml', 'an empty file', 'EMPTY_FILE', '');
  add('care', 'c51-sparse-over-limit.xml', 'a sparse file over the size limit', 'MAX_FILE_BYTES', (f) => {
    fs.writeFileSync(f, '<');
    fs.truncateSync(f, limits.maxFileBytes * 4);
  });
  add('care', 'c52-sparse-under-limit.xml', 'a sparse file of zeros under the size limit', 'PARSE_ERROR', (f) => {
    fs.writeFileSync(f, '');
    fs.truncateSync(f, Math.floor(limits.maxFileBytes / 2));
  });
  add('care', 'c53-new\nline.xml', 'a newline in the name', 'UNSAFE_FILE_NAME', `${xml}<!-- 53 -->`);
  add('care', 'c54-\u001b[31mescape.xml', 'a terminal escape in the name', 'UNSAFE_FILE_NAME', `${xml}<!-- 54 -->`);
  add('care', `c55-${'long'.repeat(58)}.xml`, 'a 240-character name', 'UNSAFE_FILE_NAME', `${xml}<!-- 55 -->`);

  // ---- bank -----------------------------------------------------------------------------------
  const camt = camtBase(1);
  add('bank', 'b01-camt-truncated.xml', 'camt.053 cut in half', 'XML_MALFORMED', camt.slice(0, camt.length >> 1));
  add('bank', 'b02-camt-xxe.xml', 'camt.053 with an external entity', 'XML_DOCTYPE', XXE(camtBase(2).slice(camtBase(2).indexOf('<Document'))));
  add('bank', 'b03-camt-laughs.xml', 'camt.053 with entity expansion', 'XML_DOCTYPE', `${LAUGHS}${camtBase(3).slice(camtBase(3).indexOf('<Document')).replace('<MsgId>', '<MsgId>&lol9;')}`);
  add('bank', 'b04-camt-balance.xml', 'closing balance that does not add up', 'BALANCE_MISMATCH', camt053([{ account: 'GB00HOST00000004', seq: '4', opening: 100000n, closing: 99999n, entries: [{ amount: -2500n }] }], 'MSG-H4'));
  add('bank', 'b05-camt-huge-amount.xml', 'an amount of 10^30 pounds', 'BAD_AMOUNT', once(camtBase(5), /<Amt Ccy="GBP">25\.00<\/Amt>/, '<Amt Ccy="GBP">1000000000000000000000000000000.00</Amt>'));
  add('bank', 'b06-camt-bad-date.xml', 'a booking date of month 13', 'BAD_DATE', once(camtBase(6), '<BookgDt><Dt>2026-11-20', '<BookgDt><Dt>2026-13-45'));
  add('bank', 'b07-camt-deep.xml', '100,000 nested elements', 'XML_TOO_DEEP', `${camtBase(7).slice(0, camtBase(7).indexOf('<Stmt>'))}${'<Stmt>'.repeat(100_000)}`);
  add('bank', 'b08-camt-invalid-utf8.xml', 'invalid UTF-8 in a camt.053', 'XML_MALFORMED', Buffer.concat([Buffer.from(camtBase(8).replace('</MsgId>', '')), Buffer.from([0xff, 0xfe])]));
  add('bank', 'b09-camt-huge-field.xml', 'a 2 MB text field', 'FIELD_TOO_LONG', camtBase(9).replace('<MsgId>', `<MsgId>${'M'.repeat(2 * 1024 * 1024)}`));
  add('bank', 'b10-mt940-truncated.txt', 'MT940 without its closing balance', 'MISSING_ELEMENT', MT940.slice(0, MT940.indexOf(':62F:')));
  add('bank', 'b11-mt940-balance.txt', 'MT940 closing balance that does not add up', 'BALANCE_MISMATCH', MT940.replace(':62F:C261120GBP900,00', ':62F:C261120GBP901,00'));
  add('bank', 'b12-mt940-bad-date.txt', 'MT940 opening balance dated 31 November', 'BAD_DATE', MT940.replace(':60F:C261119', ':60F:C261131'));
  add('bank', 'b13-mt940-bad-amount.txt', 'MT940 amount without digits', 'BAD_RECORD', MT940.replace('D100,00NTRF', 'D,NTRF'));
  add('bank', 'b14-bai2-trailer-total.txt', 'BAI2 account trailer total that does not add up', 'CONTROL_TOTAL', BAI2.replace('49,110000,3/', '49,110001,3/'));
  add('bank', 'b15-bai2-trailer-count.txt', 'BAI2 file trailer record count off', 'CONTROL_COUNT', BAI2.replace('99,110000,1,7/', '99,110000,1,9/'));
  add('bank', 'b16-bai2-truncated.txt', 'BAI2 without its trailers', 'MISSING_TRAILER', BAI2.slice(0, BAI2.indexOf('49,')));
  add('bank', 'b17-binary.dat', '64 KB of noise', 'UNKNOWN_FORMAT', noise(64 * 1024, 17));
  add('bank', 'b18-empty.xml', 'an empty file', 'EMPTY_FILE', '');
  add('bank', 'b19-back\\slash..xml', 'a backslash and ".." in the name', 'UNSAFE_FILE_NAME', camtBase(19));
  add('bank', 'b20-bell\u0007.xml', 'a control character in the name', 'UNSAFE_FILE_NAME', camtBase(20));
  add('bank', 'quarantine', 'a file posing as the quarantine folder', 'UNSAFE_FILE_NAME', camtBase(22));
  add('bank', 'b21-sparse-over-limit.txt', 'a sparse file over the size limit', 'MAX_FILE_BYTES', (f) => {
    fs.writeFileSync(f, ':20:');
    fs.truncateSync(f, limits.maxFileBytes + 1);
  });

  // ---- card -----------------------------------------------------------------------------------
  const card = (rows: string[]) => [CARD_HEADER, ...rows].join('\n') + '\n';
  add('card', 'cards_ALLPAY_20261101.csv', 'a card file cut inside a row', 'BAD_RECORD', card([cardRow(1), cardRow(2)]).slice(0, -25));
  add('card', 'cards_ALLPAY_20261102.csv', 'a 1 MB merchant name', 'FIELD_TOO_LONG', card([cardRow(2, { merchant: 'M'.repeat(1024 * 1024) })]));
  add('card', 'cards_ALLPAY_20261103.csv', 'an amount with a decimal point', 'BAD_AMOUNT', card([cardRow(3, { amount: '-12.50' })]));
  add('card', 'cards_ALLPAY_20261104.csv', 'an amount of 10^25 pence', 'BAD_AMOUNT', card([cardRow(4, { amount: '-10000000000000000000000000' })]));
  add('card', 'cards_ALLPAY_20261105.csv', 'a posting time of month 13', 'BAD_DATE', card([cardRow(5, { at: '2026-13-01T10:00:00Z' })]));
  add('card', 'cards_ALLPAY_20261106.csv', 'invalid UTF-8 in a merchant', 'INVALID_UTF8', Buffer.concat([Buffer.from(card([cardRow(6)]).replace('GROCER', 'GRO')), Buffer.from([0xc0, 0xaf, 0x0a])]));
  add('card', 'cards_ALLPAY_20261107.csv', 'one transaction id twice with other amounts', 'CONFLICTING_ROW', card([cardRow(7, { txn: 'TX-DUP' }), cardRow(8, { txn: 'TX-DUP', amount: '-99999' })]));
  add('card', 'cards_ALLPAY_20261108.csv', '64 KB of noise', 'INVALID_UTF8', noise(64 * 1024, 8));
  add('card', 'cards_ALLPAY_20261109.csv', 'an empty file', 'EMPTY_FILE', '');
  add('card', 'cards_ALLPAY_20261110.csv', 'a header with an unknown column and a short row', 'BAD_RECORD', 'txn_id,posted_at,amount_minor,evil\nT1,2026-11-20T10:00:00Z\n');
  add('card', `k11-${'x'.repeat(230)}.csv`, 'a 238-character name', 'UNSAFE_FILE_NAME', card([cardRow(11)]));
  add('card', 'k12-tab\tname.csv', 'a tab in the name', 'UNSAFE_FILE_NAME', card([cardRow(12)]));
  add('card', 'archive', 'a file posing as the archive folder', 'UNSAFE_FILE_NAME', card([cardRow(14)]));
  add('card', 'cards_ALLPAY_20261113.csv', 'a sparse file over the size limit', 'MAX_FILE_BYTES', (f) => {
    fs.writeFileSync(f, CARD_HEADER);
    fs.truncateSync(f, limits.maxFileBytes * 2);
  });

  for (const m of made) await m.write(path.join(dirs[m.inbox], m.name));
  return made.map(({ inbox, name, what, rule, pending }) => ({ inbox, name, what, rule, ...(pending ? { pending } : {}) }));
}
