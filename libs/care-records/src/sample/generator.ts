/**
 * Deterministic sample council extract: the same (seed, dps, date) always gives the same
 * records. Every case of the contract is covered by the first SCENARIOS.length DPs; the rest
 * are random mixtures. Each case i is generated independently from (seed, i), so writers can
 * stream persons, then payees, then DPs without holding anything in memory.
 */
import { addDays, CivilDate, mondayOnOrBefore } from '@dpb/common';
import {
  AccountType,
  DirectPayment,
  ExtractHeader,
  ExtractKind,
  FREQUENCIES,
  Payee,
  Person,
  Rate,
  RecipientRole,
  Trailer,
} from '../model';
import { checkBankAccount, ModulusTables } from '../modulus';
import { bundledModulusTables } from '../modulus/load';
import { nhsCheckDigit } from '../validation/nhs';
import { Prng } from './prng';

export interface SampleOptions {
  /** Number of DPs (one person and one payee each). Default 300. */
  dps?: number;
  seed?: string;
  /** Extract date (Europe/London). Default 2026-11-23. */
  date?: CivilDate;
  council?: string;
  kind?: ExtractKind;
  modulusTables?: ModulusTables;
}

export interface SampleCase {
  person: Person;
  payee: Payee;
  directPayment: DirectPayment;
}

export type Scenario =
  | 'basic'
  | 'rate-changes'
  | 'joint-splits'
  | 's117'
  | 's117-with-contribution'
  | 'suspension'
  | 'suspension-open'
  | 'one-offs'
  | 'death-before'
  | 'death-on-date'
  | 'restricted'
  | 'card'
  | 'managed'
  | 'bad-modulus'
  | 'invalid-nhs'
  | 'ended'
  | 'future-start'
  | 'no-nhs'
  | 'random';

/** Forced scenarios for DPs 0..n-1; later DPs are 'random'. */
export const SCENARIOS: readonly Scenario[] = [
  'basic',
  'rate-changes',
  'joint-splits',
  's117',
  's117-with-contribution',
  'suspension',
  'suspension-open',
  'one-offs',
  'death-before',
  'death-on-date',
  'restricted',
  'card',
  'managed',
  'bad-modulus',
  'invalid-nhs',
  'ended',
  'future-start',
  'no-nhs',
];

const FIRST = [
  'Ann',
  'John',
  'Mary',
  'Peter',
  'Aisha',
  'Wei',
  'Siobhan',
  'Dylan',
  'Priya',
  'Tomasz',
  'Grace',
  'Olu',
];
const LAST = [
  'Smith',
  'Jones',
  "O'Brien",
  'Patel',
  'Nowak',
  'Evans',
  'Khan',
  'Taylor',
  'Williams',
  'Chen',
  'Hughes',
];
const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr'];
const STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'Rose Court, Flat 2',
  'Mill "Old" Lane',
  'Park & Ride Way',
];
const TOWNS = ['Winchester', 'Basingstoke', 'Andover', 'Eastleigh', 'Fareham', 'Alton'];
const PROVIDERS = ['ALLPAY', 'PFS'];
const PARTNERS = ['ICB-QRL', 'ICB-HIOW'];
/** Sort codes with table rows (MOD10, MOD11, MOD11+DBLAL): generated accounts are checked against them. */
const SORT_CODES = ['089999', '107999', '202959', '118765', '309070', '827101'];
const PCTS = [2500n, 5000n, 3333n, 6000n];

export const DEFAULT_SAMPLE_DATE = '2026-11-23';

interface Resolved {
  dps: number;
  seed: string;
  date: CivilDate;
  council: string;
  kind: ExtractKind;
  tables: ModulusTables;
}

function resolve(o: SampleOptions): Resolved {
  return {
    dps: o.dps ?? 300,
    seed: o.seed ?? 'dpbridge',
    date: o.date ?? DEFAULT_SAMPLE_DATE,
    council: o.council ?? 'HCC',
    kind: o.kind ?? 'FULL',
    tables: o.modulusTables ?? bundledModulusTables(),
  };
}

export function sampleHeader(options: SampleOptions = {}): ExtractHeader {
  const o = resolve(options);
  return {
    extractId: `${o.council}-${o.date.replace(/-/g, '')}-0100`,
    council: o.council,
    // 01:00Z is 01:00 or 02:00 in London: the London date is o.date all year round.
    generatedAt: `${o.date}T01:00:00.000Z`,
    kind: o.kind,
    extractDate: o.date,
  };
}

function nhsNumber(r: Prng, valid: boolean): string {
  for (;;) {
    const stem = '999' + r.digits(6);
    const check = nhsCheckDigit(stem);
    if (check === null) {
      if (!valid) return stem + r.digits(1); // check digit 10: no valid number exists
      continue;
    }
    return stem + String(valid ? check : (check + r.int(1, 9)) % 10);
  }
}

function bankAccount(
  r: Prng,
  tables: ModulusTables,
  wantValid: boolean,
): { sortCode: string; accountNumber: string } {
  for (let tries = 0; ; tries++) {
    if (tries > 10000) throw new Error('sample: no bank details found for the sort codes');
    const sortCode = r.pick(SORT_CODES);
    const accountNumber = r.digits(8);
    const res = checkBankAccount(tables, sortCode, accountNumber);
    if (wantValid ? res.status === 'pass' : res.status === 'fail') return { sortCode, accountNumber };
  }
}

function money(r: Prng, minPounds: number, maxPounds: number): bigint {
  return BigInt(r.int(minPounds * 2, maxPounds * 2)) * 50n; // whole 50p steps
}

/** The i-th case (0-based). Pure function of (options, i). */
export function sampleCase(options: SampleOptions, i: number): SampleCase {
  const o = resolve(options);
  const r = new Prng(`${o.seed}:${i}`);
  const sc: Scenario = SCENARIOS[i] ?? 'random';
  const rnd = sc === 'random';
  const personId = `P${100000 + i}`;
  const payeeId = `PY${100000 + i}`;
  const dpId = `DP${500000 + i}`;

  // Person
  const dob = addDays('1940-01-01', r.int(0, 365 * 60));
  let dateOfDeath: CivilDate | null = null;
  if (sc === 'death-before' || (rnd && r.chance(0.03))) dateOfDeath = addDays(o.date, -r.int(1, 60));
  if (sc === 'death-on-date') dateOfDeath = o.date;
  const nhsValid = !(sc === 'invalid-nhs' || (rnd && r.chance(0.03)));
  const noNhs = sc === 'no-nhs' || (rnd && r.chance(0.02));
  const nhs = nhsNumber(r, nhsValid);
  const person: Person = {
    id: personId,
    restricted: sc === 'restricted' || (rnd && r.chance(0.05)),
    dateOfDeath,
    nhsNumberValid: noNhs ? null : nhsValid,
    personal: {
      nhsNumber: noNhs ? null : nhs,
      dateOfBirth: dob,
      title: r.pick(TITLES),
      firstName: r.pick(FIRST),
      lastName: r.pick(LAST),
      address: {
        line1: `${r.int(1, 200)} ${r.pick(STREETS)}`,
        town: r.pick(TOWNS),
        postcode: `SO${r.int(14, 53)} ${r.int(1, 9)}${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}`,
      },
    },
  };

  // Payee
  let accountType: AccountType = r.pick(['BANK', 'BANK', 'CARD', 'MANAGED'] as const);
  if (sc === 'card') accountType = 'CARD';
  else if (sc === 'managed') accountType = 'MANAGED';
  else if (!rnd) accountType = 'BANK';
  const badModulus = sc === 'bad-modulus' || (rnd && accountType !== 'CARD' && r.chance(0.03));
  const payee: Payee = {
    id: payeeId,
    vendorNo: accountType === 'CARD' && r.chance(0.5) ? null : String(4000000 + i),
    accountType,
    bank: null,
    card: null,
  };
  if (accountType === 'CARD') {
    payee.card = { provider: r.pick(PROVIDERS), accountRef: `AP${r.digits(7)}` };
  } else {
    const acct = bankAccount(r, o.tables, !badModulus);
    const name =
      accountType === 'MANAGED'
        ? 'MANAGED ACCOUNTS LTD CLIENT'
        : `${person.personal.lastName!.toUpperCase()} DP ACCOUNT`;
    payee.bank = { ...acct, accountName: name, modulusValid: !badModulus };
  }

  // Direct payment
  const start =
    sc === 'future-start'
      ? mondayOnOrBefore(addDays(o.date, r.int(14, 40)))
      : mondayOnOrBefore(addDays(o.date, -r.int(60, 900)));
  const end = sc === 'ended' || (rnd && r.chance(0.1)) ? addDays(start, r.int(14, 50)) : null;
  let fundingStream: DirectPayment['fundingStream'] = r.pick([
    'LA',
    'LA',
    'LA',
    'LA',
    'S117',
    'JOINT',
  ] as const);
  if (sc === 'joint-splits') fundingStream = 'JOINT';
  else if (sc === 's117' || sc === 's117-with-contribution') fundingStream = 'S117';
  else if (!rnd) fundingStream = 'LA';
  const rates: Rate[] = [{ from: start, weeklyGrossPence: money(r, 50, 1500) }];
  const rateChanges = sc === 'rate-changes' ? 2 : rnd && r.chance(0.4) ? r.int(1, 2) : 0;
  for (let k = 0; k < rateChanges; k++) {
    const from = mondayOnOrBefore(addDays(rates[rates.length - 1].from, r.int(28, 200)));
    if (from <= rates[rates.length - 1].from) break;
    rates.push({ from, weeklyGrossPence: money(r, 50, 1500) });
  }
  const contributions =
    (fundingStream !== 'S117' && (sc === 'basic' || (rnd && r.chance(0.6)))) ||
    sc === 's117-with-contribution'
      ? [{ from: start, weeklyPence: (rates[0].weeklyGrossPence * BigInt(r.int(0, 30))) / 100n }]
      : [];
  const suspensions: DirectPayment['suspensions'] = [];
  if (sc === 'suspension' || (rnd && r.chance(0.15))) {
    const from = addDays(start, r.int(7, 40));
    suspensions.push({
      from,
      to: addDays(from, r.int(0, 30)),
      reason: r.pick(['HOSPITAL', 'RESPITE', 'OTHER'] as const),
    });
  }
  if (sc === 'suspension-open' || (rnd && r.chance(0.03))) {
    suspensions.push({ from: addDays(start, r.int(60, 70)), to: null, reason: 'HOSPITAL' });
  }
  const oneOffs: DirectPayment['oneOffs'] = [];
  const nOneOffs = sc === 'one-offs' ? 2 : rnd && r.chance(0.1) ? 1 : 0;
  for (let k = 0; k < nOneOffs; k++) {
    oneOffs.push({
      id: `OO${i}-${k}`,
      payDate: addDays(o.date, r.int(-30, 30)),
      amountPence: money(r, 20, 900),
      reason: r.pick(['EQUIPMENT', 'SETUP', 'ARREARS']),
    });
  }
  const splits: DirectPayment['splits'] = [];
  if (fundingStream === 'JOINT') {
    splits.push({ partner: r.pick(PARTNERS), from: start, healthBasisPoints: r.pick(PCTS) });
    if (sc === 'joint-splits' || r.chance(0.3)) {
      splits.push({
        partner: splits[0].partner,
        from: addDays(start, 7 * r.int(4, 30)),
        healthBasisPoints: r.pick(PCTS),
      });
    }
  }
  let recipientRole: RecipientRole = r.pick(['SELF', 'SELF', 'NOMINATED', 'AUTHORISED'] as const);
  if (sc === 'managed') recipientRole = 'AUTHORISED';
  else if (sc === 'no-nhs') recipientRole = 'NOMINATED';
  else if (!rnd) recipientRole = 'SELF';
  const directPayment: DirectPayment = {
    id: dpId,
    personId,
    payeeId,
    recipientRole,
    frequency: rnd ? r.pick(FREQUENCIES) : FREQUENCIES[i % FREQUENCIES.length],
    basis: r.chance(0.8) ? 'NET' : 'GROSS',
    fundingStream,
    costCentre: `ASC${r.int(1000, 1999)}`,
    glAccount: '540100',
    start,
    end,
    lastReviewDate: r.chance(0.8) ? addDays(start, r.int(30, 200)) : null,
    cashAllowed: sc === 'no-nhs' || (rnd && r.chance(0.2)),
    rates,
    contributions,
    suspensions,
    oneOffs,
    splits,
  };
  return { person, payee, directPayment };
}

/**
 * Trailer for the sample, computed from the generated cases by the contract's definition
 * (counts; weekly gross in force on the extract date for DPs open that day and whose person
 * has not died before it).
 */
export function sampleTrailer(options: SampleOptions = {}): Trailer {
  const o = resolve(options);
  let total = 0n;
  for (let i = 0; i < o.dps; i++) {
    const { person, directPayment: dp } = sampleCase(options, i);
    const open =
      dp.start <= o.date &&
      (dp.end === null || dp.end >= o.date) &&
      (person.dateOfDeath === null || person.dateOfDeath >= o.date);
    if (!open) continue;
    const inForce = dp.rates.filter((x) => x.from <= o.date).pop();
    total += inForce?.weeklyGrossPence ?? 0n;
  }
  return { persons: o.dps, payees: o.dps, directPayments: o.dps, totalWeeklyGrossPence: total };
}

/** Iterates the cases in order. */
export function* sampleCases(options: SampleOptions = {}): Generator<SampleCase> {
  const n = resolve(options).dps;
  for (let i = 0; i < n; i++) yield sampleCase(options, i);
}
