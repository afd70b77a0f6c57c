/**
 * Streaming extract validator: feed it raw records in file order with `accept`, get canonical
 * records back (null when the record broke a rule), then call `finish` for the cross-record
 * rules (references, trailer). Every error is collected; none stops the run. Memory: a few
 * sets of ids and one small tuple per DP, so a 200,000-DP file stays well bounded.
 */
import { compareDates, londonDateOf, parsePercentToBasisPoints } from '@dpb/common';
import {
  ACCOUNT_TYPES,
  BASES,
  Contribution,
  DirectPayment,
  EXTRACT_KINDS,
  ExtractHeader,
  ExtractKind,
  ExtractRecord,
  FREQUENCIES,
  FUNDING_STREAMS,
  OneOff,
  Payee,
  Person,
  RECIPIENT_ROLES,
  Rate,
  Split,
  SUSPENSION_REASONS,
  Suspension,
  Trailer,
} from '../model';
import { checkBankAccount, ModulusTables } from '../modulus';
import { bundledModulusTables } from '../modulus/load';
import { RawDirectPayment, RawHeader, RawPayee, RawPerson, RawRecord, RawTrailer } from '../readers/raw';
import { ExtractFlag, RecordType, Rule, ValidationError } from './errors';
import {
  CODE_MAX,
  countRule,
  dateRule,
  enumRule,
  idRule,
  moneyRule,
  normaliseInstant,
  percentRule,
  textRule,
  toPence,
} from './fields';
import { isValidNhsNumber } from './nhs';

export interface ValidatorOptions {
  /** Pay.UK tables for the bank modulus flag; defaults to the bundled tables. */
  modulusTables?: ModulusTables;
}

export interface ValidationSummary {
  /** True when no rule was broken: the file may be applied. */
  ok: boolean;
  header: ExtractHeader | null;
  trailer: Trailer | null;
  errors: ValidationError[];
  flags: ExtractFlag[];
  /** Elements counted in the file (valid or not). */
  counts: { persons: number; payees: number; directPayments: number };
  /** Recomputed total weekly gross of DPs open on the extract date (null if not computable). */
  computedTotalWeeklyGross: bigint | null;
}

const YN = ['Y', 'N'] as const;

/** Collects errors for one record and remembers whether any was added. */
class Sink {
  failed = false;
  constructor(
    private readonly out: ValidationError[],
    readonly recordType: RecordType,
    readonly recordId: string,
    private readonly index?: number,
  ) {}
  check(field: string, rule: Rule | null): boolean {
    if (rule === null) return true;
    this.add(field, rule);
    return false;
  }
  add(field: string, rule: Rule): void {
    this.failed = true;
    const e: ValidationError = { recordType: this.recordType, recordId: this.recordId, field, rule };
    if (this.index !== undefined) e.index = this.index;
    this.out.push(e);
  }
  child(recordType: RecordType, index: number): Sink {
    return new Sink(this.out, recordType, this.recordId, index);
  }
}

const orNull = (v: string) => (v === '' ? null : v);

export class ExtractValidator {
  readonly errors: ValidationError[] = [];
  readonly flags: ExtractFlag[] = [];
  private header: ExtractHeader | null = null;
  private headerSeen = false;
  private trailer: Trailer | null = null;
  private trailerSeen = false;
  private readonly tables: ModulusTables;
  private readonly ids = {
    Person: new Set<string>(),
    Payee: new Set<string>(),
    DirectPayment: new Set<string>(),
    OneOff: new Set<string>(),
  };
  private readonly deaths = new Map<string, string>();
  /** [dpId, personId, payeeId, weekly gross in force on the extract date if open by its own dates]. */
  private readonly dpRefs: [string, string, string, bigint | null][] = [];
  private readonly counts = { persons: 0, payees: 0, directPayments: 0 };
  private anyDpInvalid = false;

  constructor(options: ValidatorOptions = {}) {
    this.tables = options.modulusTables ?? bundledModulusTables();
  }

  accept(raw: RawRecord): ExtractRecord | null {
    if (raw.type !== 'header' && !this.headerSeen) throw new Error('extract header must come first');
    switch (raw.type) {
      case 'header': {
        const header = this.acceptHeader(raw);
        return header ? { type: 'header', header } : null;
      }
      case 'person': {
        this.counts.persons++;
        const person = this.acceptPerson(raw);
        return person ? { type: 'person', person } : null;
      }
      case 'payee': {
        this.counts.payees++;
        const payee = this.acceptPayee(raw);
        return payee ? { type: 'payee', payee } : null;
      }
      case 'directPayment': {
        this.counts.directPayments++;
        const directPayment = this.acceptDirectPayment(raw);
        if (!directPayment) this.anyDpInvalid = true;
        return directPayment ? { type: 'directPayment', directPayment } : null;
      }
      case 'trailer': {
        const trailer = this.acceptTrailer(raw);
        return trailer ? { type: 'trailer', trailer } : null;
      }
      case 'orphan':
        this.errors.push({
          recordType: raw.recordType,
          recordId: raw.dpId,
          field: 'dpId',
          rule: 'reference-exists',
          index: raw.index,
        });
        return null;
    }
  }

  /** Whether a record of this kind with this id has been read so far (valid or not). */
  hasRead(kind: 'Person' | 'Payee' | 'DirectPayment', id: string): boolean {
    return this.ids[kind].has(id);
  }

  private unique(kind: keyof ExtractValidator['ids'], id: string, sink: Sink, field = 'id'): void {
    const set = this.ids[kind];
    if (set.has(id)) sink.add(field, 'id-unique');
    else set.add(id);
  }

  private acceptHeader(raw: RawHeader): ExtractHeader | null {
    if (this.headerSeen) throw new Error('extract header given twice');
    this.headerSeen = true;
    const s = new Sink(this.errors, 'Extract', raw.extractId);
    s.check('extractId', idRule(raw.extractId));
    s.check('council', idRule(raw.council));
    s.check('kind', enumRule(raw.kind, EXTRACT_KINDS));
    const generatedAt = normaliseInstant(raw.generatedAt);
    if (raw.generatedAt === '') s.add('generatedAt', 'required');
    else if (generatedAt === null) s.add('generatedAt', 'timestamp-format');
    if (s.failed || generatedAt === null) return null;
    this.header = {
      extractId: raw.extractId,
      council: raw.council,
      generatedAt,
      kind: raw.kind as ExtractKind,
      extractDate: londonDateOf(generatedAt),
    };
    return this.header;
  }

  private acceptPerson(raw: RawPerson): Person | null {
    const s = new Sink(this.errors, 'Person', raw.id);
    if (s.check('id', idRule(raw.id))) this.unique('Person', raw.id, s);
    let nhsNumberValid: boolean | null = null;
    if (raw.nhsNumber !== '') {
      if (s.check('nhsNumber', /^\d{10}$/.test(raw.nhsNumber) ? null : 'nhs-number-format')) {
        nhsNumberValid = isValidNhsNumber(raw.nhsNumber);
      }
    }
    s.check('restricted', enumRule(raw.restricted, YN));
    const dobOk = s.check('dateOfBirth', dateRule(raw.dateOfBirth, false));
    const dodOk = s.check('dateOfDeath', dateRule(raw.dateOfDeath, false));
    if (dobOk && dodOk && raw.dateOfBirth && raw.dateOfDeath && raw.dateOfDeath < raw.dateOfBirth) {
      s.add('dateOfDeath', 'date-order');
    }
    for (const f of ['title', 'firstName', 'lastName', 'addressLine1', 'town', 'postcode'] as const) {
      s.check(f, textRule(raw[f], false));
    }
    if (s.failed) return null;
    if (raw.dateOfDeath) this.deaths.set(raw.id, raw.dateOfDeath);
    if (nhsNumberValid === false)
      this.flags.push({ recordType: 'Person', recordId: raw.id, flag: 'nhs-number-invalid' });
    return {
      id: raw.id,
      restricted: raw.restricted === 'Y',
      dateOfDeath: orNull(raw.dateOfDeath),
      nhsNumberValid,
      personal: {
        nhsNumber: orNull(raw.nhsNumber),
        dateOfBirth: orNull(raw.dateOfBirth),
        title: orNull(raw.title),
        firstName: orNull(raw.firstName),
        lastName: orNull(raw.lastName),
        address: { line1: orNull(raw.addressLine1), town: orNull(raw.town), postcode: orNull(raw.postcode) },
      },
    };
  }

  private acceptPayee(raw: RawPayee): Payee | null {
    const s = new Sink(this.errors, 'Payee', raw.id);
    if (s.check('id', idRule(raw.id))) this.unique('Payee', raw.id, s);
    const typeOk = s.check('accountType', enumRule(raw.accountType, ACCOUNT_TYPES));
    const banked = raw.accountType === 'BANK' || raw.accountType === 'MANAGED';
    if (banked && raw.vendorNo === '') s.add('vendorNo', 'vendor-no-required');
    else s.check('vendorNo', textRule(raw.vendorNo, false, CODE_MAX));

    const scOk =
      raw.sortCode === '' || s.check('sortCode', /^\d{6}$/.test(raw.sortCode) ? null : 'sort-code-format');
    const anOk =
      raw.accountNumber === '' ||
      s.check('accountNumber', /^\d{8}$/.test(raw.accountNumber) ? null : 'account-number-format');
    if (banked) {
      if (raw.sortCode === '') s.add('sortCode', 'required');
      if (raw.accountNumber === '') s.add('accountNumber', 'required');
      s.check('accountName', textRule(raw.accountName, true));
      if (raw.cardProvider !== '') s.add('cardProvider', 'not-allowed-for-account-type');
      if (raw.cardAccountRef !== '') s.add('cardAccountRef', 'not-allowed-for-account-type');
    } else if (raw.accountType === 'CARD') {
      s.check('cardProvider', textRule(raw.cardProvider, true, CODE_MAX));
      s.check('cardAccountRef', textRule(raw.cardAccountRef, true, CODE_MAX));
      for (const f of ['sortCode', 'accountNumber', 'accountName'] as const) {
        if (raw[f] !== '') s.add(f, 'not-allowed-for-account-type');
      }
    }
    if (s.failed || !typeOk) return null;
    let bank: Payee['bank'] = null;
    if (banked && scOk && anOk) {
      const modulusValid = checkBankAccount(this.tables, raw.sortCode, raw.accountNumber).valid;
      if (!modulusValid)
        this.flags.push({ recordType: 'Payee', recordId: raw.id, flag: 'bank-modulus-failed' });
      bank = {
        sortCode: raw.sortCode,
        accountNumber: raw.accountNumber,
        accountName: raw.accountName,
        modulusValid,
      };
    }
    return {
      id: raw.id,
      vendorNo: orNull(raw.vendorNo),
      accountType: raw.accountType as Payee['accountType'],
      bank,
      card:
        raw.accountType === 'CARD' ? { provider: raw.cardProvider, accountRef: raw.cardAccountRef } : null,
    };
  }

  private acceptDirectPayment(raw: RawDirectPayment): DirectPayment | null {
    const s = new Sink(this.errors, 'DirectPayment', raw.id);
    if (s.check('id', idRule(raw.id))) this.unique('DirectPayment', raw.id, s);
    s.check('personId', idRule(raw.personId));
    s.check('payeeId', idRule(raw.payeeId));
    s.check('recipientRole', enumRule(raw.recipientRole, RECIPIENT_ROLES));
    s.check('frequency', enumRule(raw.frequency, FREQUENCIES));
    s.check('basis', enumRule(raw.basis, BASES));
    s.check('fundingStream', enumRule(raw.fundingStream, FUNDING_STREAMS));
    s.check('costCentre', textRule(raw.costCentre, true, CODE_MAX));
    s.check('glAccount', textRule(raw.glAccount, true, CODE_MAX));
    const startOk = s.check('start', dateRule(raw.start, true));
    const endOk = s.check('end', dateRule(raw.end, false));
    if (startOk && endOk && raw.end !== '' && raw.end < raw.start) s.add('end', 'date-order');
    s.check('lastReviewDate', dateRule(raw.lastReviewDate, false));
    s.check('cashAllowed', enumRule(raw.cashAllowed, YN, false));

    const rates: Rate[] = [];
    if (raw.rates.length === 0) s.add('rates', 'required');
    raw.rates.forEach((r, i) => {
      const c = s.child('Rate', i);
      const ok = [c.check('from', dateRule(r.from, true)), c.check('weeklyGross', moneyRule(r.weeklyGross))];
      if (ok.every(Boolean)) rates.push({ from: r.from, weeklyGrossPence: toPence(r.weeklyGross) });
    });
    const contributions: Contribution[] = [];
    raw.contributions.forEach((r, i) => {
      const c = s.child('Contribution', i);
      const ok = [c.check('from', dateRule(r.from, true)), c.check('weekly', moneyRule(r.weekly))];
      if (ok.every(Boolean)) contributions.push({ from: r.from, weeklyPence: toPence(r.weekly) });
    });
    const suspensions: Suspension[] = [];
    raw.suspensions.forEach((r, i) => {
      const c = s.child('Suspension', i);
      const fromOk = c.check('from', dateRule(r.from, true));
      const toOk = c.check('to', dateRule(r.to, false));
      if (fromOk && toOk && r.to !== '' && r.to < r.from) c.add('to', 'date-order');
      c.check('reason', enumRule(r.reason, SUSPENSION_REASONS));
      if (!c.failed)
        suspensions.push({ from: r.from, to: orNull(r.to), reason: r.reason as Suspension['reason'] });
    });
    const oneOffs: OneOff[] = [];
    raw.oneOffs.forEach((r, i) => {
      const c = s.child('OneOff', i);
      if (c.check('id', idRule(r.id))) this.unique('OneOff', r.id, c);
      c.check('payDate', dateRule(r.payDate, true));
      c.check('amount', moneyRule(r.amount));
      c.check('reason', textRule(r.reason, true, CODE_MAX));
      if (!c.failed)
        oneOffs.push({ id: r.id, payDate: r.payDate, amountPence: toPence(r.amount), reason: r.reason });
    });
    const splits: Split[] = [];
    raw.splits.forEach((r, i) => {
      const c = s.child('Split', i);
      c.check('partner', textRule(r.partner, true, CODE_MAX));
      c.check('from', dateRule(r.from, true));
      c.check('healthPct', percentRule(r.healthPct));
      if (!c.failed)
        splits.push({ partner: r.partner, from: r.from, healthBasisPoints: parsePercentToBasisPoints(r.healthPct) });
    });
    if (raw.fundingStream === 'JOINT' && raw.splits.length === 0) s.add('splits', 'joint-requires-split');
    this.fromUnique(s, 'Rate', raw.rates);
    this.fromUnique(s, 'Contribution', raw.contributions);
    this.fromUnique(s, 'Split', raw.splits);

    const byFrom = <T extends { from: string }>(xs: T[]) => xs.sort((a, b) => compareDates(a.from, b.from));
    byFrom(rates);
    const gross = this.grossOnExtractDate(raw, rates);
    this.dpRefs.push([raw.id, raw.personId, raw.payeeId, s.failed ? null : gross]);
    if (s.failed) return null;
    if (raw.fundingStream === 'S117' && contributions.length > 0) {
      this.flags.push({ recordType: 'DirectPayment', recordId: raw.id, flag: 's117-contribution-ignored' });
    }
    if (raw.fundingStream !== 'JOINT' && splits.length > 0) {
      // The contract's own example carries a Split on an LA DP: accepted, but no health share applies.
      this.flags.push({ recordType: 'DirectPayment', recordId: raw.id, flag: 'split-ignored-not-joint' });
    }
    return {
      id: raw.id,
      personId: raw.personId,
      payeeId: raw.payeeId,
      recipientRole: raw.recipientRole as DirectPayment['recipientRole'],
      frequency: raw.frequency as DirectPayment['frequency'],
      basis: raw.basis as DirectPayment['basis'],
      fundingStream: raw.fundingStream as DirectPayment['fundingStream'],
      costCentre: raw.costCentre,
      glAccount: raw.glAccount,
      start: raw.start,
      end: orNull(raw.end),
      lastReviewDate: orNull(raw.lastReviewDate),
      cashAllowed: raw.cashAllowed === 'Y',
      rates,
      contributions: byFrom(contributions),
      suspensions: byFrom(suspensions),
      oneOffs,
      splits: byFrom(splits),
    };
  }

  private fromUnique(s: Sink, type: RecordType, xs: { from: string }[]): void {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
      if (x.from === '') return;
      if (seen.has(x.from)) s.child(type, i).add('from', 'from-unique');
      seen.add(x.from);
    });
  }

  /** Weekly gross in force on the extract date when the DP is open by its own dates, else 0. */
  private grossOnExtractDate(raw: RawDirectPayment, sortedRates: Rate[]): bigint {
    const date = this.header?.extractDate;
    if (!date || raw.start > date || (raw.end !== '' && raw.end < date)) return 0n;
    let gross = 0n;
    for (const r of sortedRates) if (r.from <= date) gross = r.weeklyGrossPence;
    return gross;
  }

  private acceptTrailer(raw: RawTrailer): Trailer | null {
    if (this.trailerSeen) throw new Error('trailer given twice');
    this.trailerSeen = true;
    const s = new Sink(this.errors, 'Trailer', this.header?.extractId ?? '');
    for (const f of ['persons', 'payees', 'directPayments'] as const) s.check(f, countRule(raw[f]));
    s.check('totalWeeklyGross', moneyRule(raw.totalWeeklyGross));
    if (s.failed) return null;
    this.trailer = {
      persons: Number(raw.persons),
      payees: Number(raw.payees),
      directPayments: Number(raw.directPayments),
      totalWeeklyGrossPence: toPence(raw.totalWeeklyGross),
    };
    return this.trailer;
  }

  /** Cross-record rules: references, trailer presence, counts and total. */
  finish(): ValidationSummary {
    for (const [dpId, personId, payeeId] of this.dpRefs) {
      if (personId !== '' && !this.ids.Person.has(personId)) {
        this.errors.push({
          recordType: 'DirectPayment',
          recordId: dpId,
          field: 'personId',
          rule: 'reference-exists',
        });
      }
      if (payeeId !== '' && !this.ids.Payee.has(payeeId)) {
        this.errors.push({
          recordType: 'DirectPayment',
          recordId: dpId,
          field: 'payeeId',
          rule: 'reference-exists',
        });
      }
    }
    // The total is recomputed only when every record passed its own rules: otherwise the figure
    // would be meaningless and the trailer error a distraction from the real one.
    let computed: bigint | null = null;
    if (this.header && !this.anyDpInvalid && this.errors.length === 0) {
      const date = this.header.extractDate;
      computed = 0n;
      for (const [, personId, , gross] of this.dpRefs) {
        const death = this.deaths.get(personId);
        if (gross !== null && (death === undefined || death >= date)) computed += gross;
      }
    }
    const trailerId = this.header?.extractId ?? '';
    if (!this.trailerSeen) {
      this.errors.push({ recordType: 'Trailer', recordId: trailerId, field: '', rule: 'required' });
    } else if (this.trailer) {
      for (const f of ['persons', 'payees', 'directPayments'] as const) {
        if (this.trailer[f] !== this.counts[f]) {
          this.errors.push({ recordType: 'Trailer', recordId: trailerId, field: f, rule: 'trailer-count' });
        }
      }
      if (computed !== null && computed !== this.trailer.totalWeeklyGrossPence) {
        this.errors.push({
          recordType: 'Trailer',
          recordId: trailerId,
          field: 'totalWeeklyGross',
          rule: 'trailer-total',
        });
      }
    }
    return {
      ok: this.errors.length === 0,
      header: this.header,
      trailer: this.trailer,
      errors: this.errors,
      flags: this.flags,
      counts: { ...this.counts },
      computedTotalWeeklyGross: computed,
    };
  }
}
