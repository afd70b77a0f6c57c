/**
 * SAP FI posting as an ACC_DOCUMENT03 IDoc in XML (inbound to BAPI_ACC_DOCUMENT_POST).
 * One document per run, balanced to zero: per credit one vendor item (E1BPACAP09) of -amount,
 * per written line one GL/cost-centre item (E1BPACGL09) of +payable; amounts in E1BPACCR09.
 * Deterministic: every date comes from the input, CRETIM is 000000.
 */
import { decimalToPence, penceText } from './amounts';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { Credit, PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { render, type Out } from './render';
import { xmlEscape } from './text';
import { validateRunInput } from './validate-input';
import { streamXml, type XmlFrame, type XmlVisitor } from './xml-stream';

export interface SapPostingOptions {
  /**
   * SAP payment block key put on every vendor item (PMNT_BLOCK) when dpbridge itself sends
   * the money (BACS_STD18 / PAIN001), so that SAP's payment run (F110) cannot pay the same
   * items a second time. Leave undefined when SAP pays (payment format NONE).
   */
  paymentBlock?: string;
}

const XML_ESCAPER = { escape: xmlEscape };
const SEG_INDENT = '    ';
const FIELD_INDENT = '      ';
/** ITEMNO_ACC: the item number, 10 digits. */
const itemNo = (n: number) => String(n).padStart(10, '0');

/**
 * The document's item numbering, in one place for the writer and the reader: credit by credit,
 * its vendor item, then one item per GL line written for it (1, 2, ... as ITEMNO_ACC).
 * `glCount(c, i)` is the number of GL items of credit `c` (the i-th); `visit` gets each credit
 * with the number of its vendor item and of its first GL item (the others follow on).
 */
export function forEachIdocCredit<C>(
  credits: readonly C[],
  glCount: (c: C, i: number) => number,
  visit: (c: C, vendorItem: number, firstGlItem: number) => void,
): void {
  let n = 0;
  for (let i = 0; i < credits.length; i++) {
    const c = credits[i];
    visit(c, n + 1, n + 2);
    n += 1 + glCount(c, i);
  }
}

const tags = new Map<string, [string, string]>();
/** The `      <KEY>` and `</KEY>\n` pieces of a field, built once per key. */
function tagsOf(key: string): [string, string] {
  let t = tags.get(key);
  if (!t) {
    t = [`${FIELD_INDENT}<${key}>`, `</${key}>\n`];
    tags.set(key, t);
  }
  return t;
}

/** `<KEY>value</KEY>` on its own line; empty or absent values are left out (as SAP expects). */
function field(out: Out, key: string, value: string | undefined): void {
  if (value === undefined || value === '') return;
  const [open, close] = tagsOf(key);
  out.raw(open);
  out.text(value);
  out.raw(close);
}

/** A field whose value is plain ASCII needing no escaping (item numbers, amounts). */
function plainField(out: Out, key: string, value: string): void {
  const [open, close] = tagsOf(key);
  out.raw(open);
  out.raw(value);
  out.raw(close);
}

function open(out: Out, name: string): void {
  out.raw(`${SEG_INDENT}<${name} SEGMENT="1">\n`);
}

function close(out: Out, name: string): void {
  out.raw(`${SEG_INDENT}</${name}>\n`);
}

const GL_OPEN = `${SEG_INDENT}<E1BPACGL09 SEGMENT="1">\n`;
const GL_CLOSE = `${SEG_INDENT}</E1BPACGL09>\n`;
const AP_OPEN = `${SEG_INDENT}<E1BPACAP09 SEGMENT="1">\n`;
const AP_CLOSE = `${SEG_INDENT}</E1BPACAP09>\n`;
const CR_OPEN = `${SEG_INDENT}<E1BPACCR09 SEGMENT="1">\n`;
const CR_CLOSE = `${SEG_INDENT}</E1BPACCR09>\n`;

export function writeSapIdoc(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  validateRunInput(input);
  return writeSapIdocUnchecked(input, options);
}

/** writeSapIdoc for an input already passed through validateRunInput (writeRunFiles checks once for all files). */
export function writeSapIdocUnchecked(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  if (input.credits.length === 0) throw new FinanceFileError('SAP_EMPTY', 'a SAP posting needs at least one credit');
  if (input.runId.length > 16) throw new FinanceFileError('RUN_ID_TOO_LONG_FOR_SAP', 'runId exceeds REF_DOC_NO (16)');
  if (options.paymentBlock !== undefined && !/^[A-Z0-9]$/.test(options.paymentBlock)) {
    throw new FinanceFileError('INVALID_PAYMENT_BLOCK', 'paymentBlock must be one character A-Z 0-9');
  }
  const s = input.settings;
  const date = compactDate(input.runDate, 'runDate');
  const apText = `DP ${input.runId} `;
  let total = 0n;
  const glCounts = new Uint32Array(input.credits.length);
  input.credits.forEach((c, i) => {
    total += c.amountPence;
    for (const l of c.lines) if (l.payablePence !== 0n) glCounts[i]++;
  });

  // Items are numbered credit by credit (forEachIdocCredit); the segments are emitted grouped by
  // type, in the order of the IDoc type: control record, header, GL items, vendor items, currency
  // amounts (those in item-number order). Each group is one pass over the credits with the same
  // numbering, so only the GL count of each credit is held between groups.
  const layout = (out: Out): void => {
    out.raw('<?xml version="1.0" encoding="UTF-8"?>\n<ACC_DOCUMENT03>\n  <IDOC BEGIN="1">\n');
    open(out, 'EDI_DC40');
    field(out, 'TABNAM', 'EDI_DC40');
    field(out, 'DIRECT', '2');
    field(out, 'IDOCTYP', 'ACC_DOCUMENT03');
    field(out, 'MESTYP', 'ACC_DOCUMENT');
    field(out, 'SNDPOR', 'DPBRIDGE');
    field(out, 'SNDPRT', 'LS');
    field(out, 'SNDPRN', `DPB${input.council}`);
    field(out, 'RCVPRT', 'LS');
    field(out, 'CREDAT', date);
    field(out, 'CRETIM', '000000');
    close(out, 'EDI_DC40');
    open(out, 'E1BPACHE09');
    field(out, 'BUS_ACT', 'RFBU');
    field(out, 'USERNAME', 'DPBRIDGE');
    field(out, 'HEADER_TXT', `DP RUN ${input.runId}`.slice(0, 25));
    field(out, 'COMP_CODE', s.sapCompanyCode);
    field(out, 'DOC_DATE', date);
    field(out, 'PSTNG_DATE', date);
    field(out, 'DOC_TYPE', s.sapDocTypePayment);
    field(out, 'REF_DOC_NO', input.runId);
    close(out, 'E1BPACHE09');

    // GL items, then vendor items, then the amounts, all numbered by forEachIdocCredit.
    const glItems = (_c: Credit, i: number): number => glCounts[i];
    forEachIdocCredit(input.credits, glItems, (c, _vendorItem, firstGlItem) => {
      let item = firstGlItem;
      for (const l of c.lines) {
        if (l.payablePence === 0n) continue; // zero-payable lines are recorded, never written
        out.raw(GL_OPEN);
        plainField(out, 'ITEMNO_ACC', itemNo(item++));
        field(out, 'GL_ACCOUNT', l.glAccount);
        field(out, 'ITEM_TEXT', `${l.dpId} ${l.kind} ${l.periodStart}/${l.periodEnd}`);
        field(out, 'COMP_CODE', s.sapCompanyCode);
        field(out, 'ALLOC_NMBR', c.paymentRef);
        field(out, 'COSTCENTER', l.costCentre);
        out.raw(GL_CLOSE);
      }
    });
    forEachIdocCredit(input.credits, glItems, (c, vendorItem) => {
      out.raw(AP_OPEN);
      plainField(out, 'ITEMNO_ACC', itemNo(vendorItem));
      field(out, 'VENDOR_NO', c.vendorNo);
      field(out, 'COMP_CODE', s.sapCompanyCode);
      field(out, 'BLINE_DATE', date);
      field(out, 'PMNT_BLOCK', options.paymentBlock);
      field(out, 'ALLOC_NMBR', c.paymentRef);
      field(out, 'ITEM_TEXT', apText + c.paymentRef);
      out.raw(AP_CLOSE);
    });
    const amount = (item: number, pence: bigint): void => {
      out.raw(CR_OPEN);
      plainField(out, 'ITEMNO_ACC', itemNo(item));
      field(out, 'CURRENCY', s.currency);
      plainField(out, 'AMT_DOCCUR', penceText(pence));
      out.raw(CR_CLOSE);
    };
    forEachIdocCredit(input.credits, glItems, (c, vendorItem, firstGlItem) => {
      amount(vendorItem, -c.amountPence);
      let item = firstGlItem;
      for (const l of c.lines) if (l.payablePence !== 0n) amount(item++, l.payablePence);
    });
    out.raw('  </IDOC>\n</ACC_DOCUMENT03>\n');
  };
  return {
    name: fileNames.sapIdoc(input),
    content: render(layout, XML_ESCAPER),
    records: input.credits.length,
    totalPence: total,
  };
}

const enum Tag {
  None = 0,
  Root,
  Idoc,
  Gl,
  Ap,
  Cr,
  Other,
  Field,
}

const SEGMENT_TAGS: Record<string, Tag> = { E1BPACGL09: Tag.Gl, E1BPACAP09: Tag.Ap, E1BPACCR09: Tag.Cr };
const WANTED: Record<number, readonly string[]> = {
  [Tag.Gl]: ['ITEMNO_ACC', 'ALLOC_NMBR'],
  [Tag.Ap]: ['ITEMNO_ACC', 'ALLOC_NMBR', 'VENDOR_NO'],
  [Tag.Cr]: ['ITEMNO_ACC', 'AMT_DOCCUR'],
};

/**
 * Collects, from the direct children of the first IDOC under the root, the fields the reader
 * needs: per segment the first field of each name, trimmed.
 */
class IdocVisitor implements XmlVisitor {
  rootName: string | undefined;
  idocSeen = false;
  control = false;
  header = false;
  readonly gl: Array<Record<string, string>> = [];
  readonly ap: Array<Record<string, string>> = [];
  readonly cr: Array<Record<string, string>> = [];
  private segment: Record<string, string> | undefined;

  open(el: XmlFrame, parent: XmlFrame | undefined): void {
    if (!parent) {
      this.rootName = el.name;
      el.tag = Tag.Root;
      return;
    }
    if (parent.tag === Tag.Root) {
      if (el.name === 'IDOC' && !this.idocSeen) {
        el.tag = Tag.Idoc;
        this.idocSeen = true;
      }
      return;
    }
    if (parent.tag === Tag.Idoc) {
      if (el.name === 'EDI_DC40') this.control = true;
      else if (el.name === 'E1BPACHE09') this.header = true;
      el.tag = SEGMENT_TAGS[el.name] ?? Tag.Other;
      if (el.tag !== Tag.Other) this.segment = {};
      return;
    }
    // A segment's field is its first child of that name: later ones are not captured.
    const wanted = WANTED[parent.tag];
    if (wanted && this.segment && this.segment[el.name] === undefined && wanted.includes(el.name)) {
      el.tag = Tag.Field;
      el.capture = true;
    }
  }

  close(el: XmlFrame, parent: XmlFrame | undefined): void {
    if (el.tag === Tag.Field && parent && this.segment) {
      this.segment[el.name] ??= el.text.trim();
    } else if (el.tag === Tag.Gl || el.tag === Tag.Ap || el.tag === Tag.Cr) {
      const seg = this.segment ?? {};
      (el.tag === Tag.Gl ? this.gl : el.tag === Tag.Ap ? this.ap : this.cr).push(seg);
      this.segment = undefined;
    }
  }
}

/** Re-reads an ACC_DOCUMENT IDoc: vendor items are the payments; checks the document balances. */
export function readSapIdoc(content: Buffer | string): ReadResult {
  const doc = streamXml(content, 'SAP IDoc', () => new IdocVisitor());
  if (!doc.rootName?.startsWith('ACC_DOCUMENT')) throw new FinanceFileError('NOT_AN_ACC_DOCUMENT', 'root element is not ACC_DOCUMENT*');
  if (!doc.idocSeen) throw new FinanceFileError('NOT_AN_ACC_DOCUMENT', 'IDOC element missing');
  const problems: string[] = [];
  if (!doc.control) problems.push('EDI_DC40 control record missing');
  if (!doc.header) problems.push('E1BPACHE09 header missing');

  const amounts = new Map<string, bigint>();
  for (const seg of doc.cr) {
    const item = seg.ITEMNO_ACC ?? '';
    if (amounts.has(item)) problems.push(`item ${item}: more than one E1BPACCR09`);
    amounts.set(item, decimalToPence(seg.AMT_DOCCUR ?? '', `item ${item} AMT_DOCCUR`));
  }
  const amountOf = (seg: Record<string, string>): bigint => {
    const item = seg.ITEMNO_ACC ?? '';
    const a = amounts.get(item);
    if (a === undefined) {
      problems.push(`item ${item}: no E1BPACCR09 amount`);
      return 0n;
    }
    return a;
  };

  // Per payment reference: the GL total and count, the first item number and whether the items follow on.
  const glByRef = new Map<string, { total: bigint; count: number; first: string; last: number; consecutive: boolean }>();
  let glTotal = 0n;
  for (const seg of doc.gl) {
    const ref = seg.ALLOC_NMBR ?? '';
    const item = seg.ITEMNO_ACC ?? '';
    const a = amountOf(seg);
    glTotal += a;
    const acc = glByRef.get(ref);
    if (acc) {
      acc.total += a;
      acc.count++;
      acc.consecutive &&= Number(item) === acc.last + 1;
      acc.last = Number(item);
    } else {
      glByRef.set(ref, { total: a, count: 1, first: item, last: Number(item), consecutive: true });
    }
  }
  const credits: ReadCredit[] = [];
  let totalPence = 0n;
  // The items must be numbered as the writer numbers them (forEachIdocCredit).
  forEachIdocCredit(doc.ap, (seg) => glByRef.get(seg.ALLOC_NMBR ?? '')?.count ?? 0, (seg, vendorItem, firstGlItem) => {
    const gl = glByRef.get(seg.ALLOC_NMBR ?? '');
    const follows = seg.ITEMNO_ACC === itemNo(vendorItem) && (!gl || (gl.first === itemNo(firstGlItem) && gl.consecutive));
    if (!follows) problems.push(`vendor item for ${seg.ALLOC_NMBR ?? ''}: items are not numbered vendor item, then its GL lines`);
  });
  for (const seg of doc.ap) {
    const ref = seg.ALLOC_NMBR ?? '';
    const amountPence = -amountOf(seg);
    if (amountPence <= 0n) problems.push(`vendor item for ${ref}: amount is not a credit to the vendor`);
    const gl = glByRef.get(ref);
    if (!gl || gl.total !== amountPence) problems.push(`vendor item for ${ref}: GL lines do not sum to the vendor amount`);
    credits.push({ ref, amountPence, vendorNo: seg.VENDOR_NO, lineCount: gl?.count ?? 0 });
    totalPence += amountPence;
  }
  if (glTotal - totalPence !== 0n) problems.push('document does not balance to zero');
  return { format: 'SAP_IDOC', records: credits.length, totalPence, credits, declared: {}, problems };
}
