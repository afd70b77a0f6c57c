/**
 * Streaming writers for the two contract encodings, from canonical records. Used by the sample
 * generator; also handy to build test files. Output respects back-pressure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { formatPence } from '@dpb/common';
import { DirectPayment, ExtractHeader, Payee, Person, Trailer } from '../model';
import { DEFAULT_NAMESPACE } from '../readers/mapping';

export interface ExtractContent {
  header: ExtractHeader;
  persons: () => Iterable<Person>;
  payees: () => Iterable<Payee>;
  directPayments: () => Iterable<DirectPayment>;
  trailer: Trailer;
}

/** Buffers text and writes ~64 KB chunks, waiting for 'drain' when the stream asks. */
class Out {
  private buf = '';
  constructor(private readonly w: Writable) {}
  async put(s: string): Promise<void> {
    this.buf += s;
    if (this.buf.length >= 65536) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.buf) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.w.write(chunk)) await new Promise<void>((res) => this.w.once('drain', res));
  }
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((res, rej) => {
      this.w.once('error', rej);
      this.w.end(res);
    });
  }
}

const esc = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const s = (v: string | null | undefined) => v ?? '';
const yn = (b: boolean) => (b ? 'Y' : 'N');

function attrs(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
}

export async function writeExtractXml(c: ExtractContent, w: Writable): Promise<void> {
  const out = new Out(w);
  const h = c.header;
  await out.put(
    `<?xml version="1.0" encoding="UTF-8"?>\n<MosaicExport xmlns="${DEFAULT_NAMESPACE}"${attrs([
      ['extractId', h.extractId],
      ['council', h.council],
      ['generatedAt', h.generatedAt.replace('.000Z', 'Z')],
      ['kind', h.kind],
    ])}>\n`,
  );
  for (const p of c.persons()) {
    const d = p.personal;
    await out.put(
      `  <Person${attrs([
        ['id', p.id],
        ['nhsNumber', s(d.nhsNumber)],
        ['restricted', yn(p.restricted)],
        ['dateOfBirth', s(d.dateOfBirth)],
        ['dateOfDeath', s(p.dateOfDeath)],
      ])}>\n` +
        `    <Name${attrs([
          ['title', s(d.title)],
          ['first', s(d.firstName)],
          ['last', s(d.lastName)],
        ])}/>\n` +
        `    <Address${attrs([
          ['line1', s(d.address.line1)],
          ['town', s(d.address.town)],
          ['postcode', s(d.address.postcode)],
        ])}/>\n` +
        `  </Person>\n`,
    );
  }
  for (const p of c.payees()) {
    const inner = p.bank
      ? `<BankAccount${attrs([
          ['sortCode', p.bank.sortCode],
          ['accountNumber', p.bank.accountNumber],
          ['accountName', p.bank.accountName],
        ])}/>`
      : p.card
        ? `<CardAccount${attrs([
            ['provider', p.card.provider],
            ['accountRef', p.card.accountRef],
          ])}/>`
        : '';
    await out.put(
      `  <Payee${attrs([
        ['id', p.id],
        ['vendorNo', s(p.vendorNo)],
        ['accountType', p.accountType],
      ])}>\n    ${inner}\n  </Payee>\n`,
    );
  }
  for (const dp of c.directPayments()) {
    let x = `  <DirectPayment${attrs([
      ['id', dp.id],
      ['personId', dp.personId],
      ['payeeId', dp.payeeId],
      ['recipientRole', dp.recipientRole],
      ['frequency', dp.frequency],
      ['basis', dp.basis],
      ['fundingStream', dp.fundingStream],
      ['costCentre', dp.costCentre],
      ['glAccount', dp.glAccount],
      ['start', dp.start],
      ['end', s(dp.end)],
      ['lastReviewDate', s(dp.lastReviewDate)],
      ['cashAllowed', yn(dp.cashAllowed)],
    ])}>\n`;
    for (const r of dp.rates)
      x += `    <Rate${attrs([
        ['from', r.from],
        ['weeklyGross', formatPence(r.weeklyGrossPence)],
      ])}/>\n`;
    for (const r of dp.contributions)
      x += `    <Contribution${attrs([
        ['from', r.from],
        ['weekly', formatPence(r.weeklyPence)],
      ])}/>\n`;
    for (const r of dp.suspensions)
      x += `    <Suspension${attrs([
        ['from', r.from],
        ['to', s(r.to)],
        ['reason', r.reason],
      ])}/>\n`;
    for (const r of dp.oneOffs) {
      x += `    <OneOff${attrs([
        ['id', r.id],
        ['payDate', r.payDate],
        ['amount', formatPence(r.amountPence)],
        ['reason', r.reason],
      ])}/>\n`;
    }
    for (const r of dp.splits) {
      x += `    <Split${attrs([
        ['partner', r.partner],
        ['from', r.from],
        ['healthPct', formatPence(r.healthBasisPoints)],
      ])}/>\n`;
    }
    await out.put(x + '  </DirectPayment>\n');
  }
  const t = c.trailer;
  await out.put(
    `  <Trailer${attrs([
      ['persons', String(t.persons)],
      ['payees', String(t.payees)],
      ['directPayments', String(t.directPayments)],
      ['totalWeeklyGross', formatPence(t.totalWeeklyGrossPence)],
    ])}/>\n</MosaicExport>\n`,
  );
  await out.end();
}

/** RFC 4180 field quoting. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
const row = (vs: string[]) => vs.map(csvField).join(',') + '\r\n';

export async function writeExtractCsv(c: ExtractContent, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const open = (name: string, header: string[]) => {
    const o = new Out(fs.createWriteStream(path.join(dir, `${name}.csv`)));
    return { o, ready: o.put(row(header)) };
  };
  const persons = open('persons', [
    'person_id',
    'nhs_number',
    'restricted',
    'date_of_birth',
    'date_of_death',
    'title',
    'first_name',
    'last_name',
    'address_line1',
    'town',
    'postcode',
  ]);
  await persons.ready;
  for (const p of c.persons()) {
    const d = p.personal;
    await persons.o.put(
      row([
        p.id,
        s(d.nhsNumber),
        yn(p.restricted),
        s(d.dateOfBirth),
        s(p.dateOfDeath),
        s(d.title),
        s(d.firstName),
        s(d.lastName),
        s(d.address.line1),
        s(d.address.town),
        s(d.address.postcode),
      ]),
    );
  }
  await persons.o.end();
  const payees = open('payees', [
    'payee_id',
    'vendor_no',
    'account_type',
    'sort_code',
    'account_number',
    'account_name',
    'card_provider',
    'card_account_ref',
  ]);
  await payees.ready;
  for (const p of c.payees()) {
    await payees.o.put(
      row([
        p.id,
        s(p.vendorNo),
        p.accountType,
        s(p.bank?.sortCode),
        s(p.bank?.accountNumber),
        s(p.bank?.accountName),
        s(p.card?.provider),
        s(p.card?.accountRef),
      ]),
    );
  }
  await payees.o.end();
  const dps = open('direct_payments', [
    'dp_id',
    'person_id',
    'payee_id',
    'recipient_role',
    'frequency',
    'basis',
    'funding_stream',
    'cost_centre',
    'gl_account',
    'start',
    'end',
    'last_review_date',
    'cash_allowed',
  ]);
  const rates = open('rates', ['dp_id', 'from', 'weekly_gross']);
  const contributions = open('contributions', ['dp_id', 'from', 'weekly']);
  const suspensions = open('suspensions', ['dp_id', 'from', 'to', 'reason']);
  const oneOffs = open('one_offs', ['dp_id', 'one_off_id', 'pay_date', 'amount', 'reason']);
  const splits = open('splits', ['dp_id', 'partner', 'from', 'health_pct']);
  await Promise.all([dps, rates, contributions, suspensions, oneOffs, splits].map((f) => f.ready));
  for (const dp of c.directPayments()) {
    await dps.o.put(
      row([
        dp.id,
        dp.personId,
        dp.payeeId,
        dp.recipientRole,
        dp.frequency,
        dp.basis,
        dp.fundingStream,
        dp.costCentre,
        dp.glAccount,
        dp.start,
        s(dp.end),
        s(dp.lastReviewDate),
        yn(dp.cashAllowed),
      ]),
    );
    for (const r of dp.rates) await rates.o.put(row([dp.id, r.from, formatPence(r.weeklyGrossPence)]));
    for (const r of dp.contributions) await contributions.o.put(row([dp.id, r.from, formatPence(r.weeklyPence)]));
    for (const r of dp.suspensions) await suspensions.o.put(row([dp.id, r.from, s(r.to), r.reason]));
    for (const r of dp.oneOffs)
      await oneOffs.o.put(row([dp.id, r.id, r.payDate, formatPence(r.amountPence), r.reason]));
    for (const r of dp.splits)
      await splits.o.put(row([dp.id, r.partner, r.from, formatPence(r.healthBasisPoints)]));
  }
  await Promise.all([dps, rates, contributions, suspensions, oneOffs, splits].map((f) => f.o.end()));
  const trailer = open('trailer', [
    'extract_id',
    'council',
    'generated_at',
    'kind',
    'persons',
    'payees',
    'direct_payments',
    'total_weekly_gross',
  ]);
  await trailer.ready;
  const h = c.header;
  const t = c.trailer;
  await trailer.o.put(
    row([
      h.extractId,
      h.council,
      h.generatedAt.replace('.000Z', 'Z'),
      h.kind,
      String(t.persons),
      String(t.payees),
      String(t.directPayments),
      formatPence(t.totalWeeklyGrossPence),
    ]),
  );
  await trailer.o.end();
}
