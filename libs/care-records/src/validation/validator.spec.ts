import { readMosaicXmlAll } from '../readers/extract';
import { ValidationError } from './errors';
import { BASE_XML, edit } from './testing/base-extract';

type E = Omit<ValidationError, 'index'> & { index?: number };
const err = (
  recordType: E['recordType'],
  recordId: string,
  field: string,
  rule: E['rule'],
  index?: number,
): E =>
  index === undefined ? { recordType, recordId, field, rule } : { recordType, recordId, field, rule, index };

async function errorsOf(xml: string) {
  return (await readMosaicXmlAll(xml)).errors;
}

describe('base extract', () => {
  it('is valid, with the hand-derived trailer total and extract date', async () => {
    const r = await readMosaicXmlAll(BASE_XML);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.computedTotalWeeklyGross).toBe(16250n);
    expect(r.header?.extractDate).toBe('2026-11-23');
    expect(r.flags).toEqual([]);
    expect(r.directPayments[1].cashAllowed).toBe(false); // empty cashAllowed defaults to N
    expect(r.directPayments[2].cashAllowed).toBe(true);
    expect(r.directPayments[0].splits[0].healthBasisPoints).toBe(5000n);
    expect(r.directPayments[0].rates.map((x) => x.weeklyGrossPence)).toEqual([15000n, 16250n]);
  });
});

// Each case: one bad field -> exactly these errors (never a value).
const CASES: [string, (x: string) => string, E[]][] = [
  // ids
  [
    'person id format',
    (x) => edit(x, ' id="P2"', ' id="P#2"'),
    [err('Person', 'P#2', 'id', 'id-format'), err('DirectPayment', 'DP2', 'personId', 'reference-exists')],
  ],
  [
    'person id too long',
    (x) => edit(x, ' id="P2"', ` id="${'P'.repeat(33)}"`),
    [
      err('Person', 'P'.repeat(33), 'id', 'id-format'),
      err('DirectPayment', 'DP2', 'personId', 'reference-exists'),
    ],
  ],
  [
    'person id unique',
    (x) => edit(x, ' id="P2"', ' id="P1"'),
    [err('Person', 'P1', 'id', 'id-unique'), err('DirectPayment', 'DP2', 'personId', 'reference-exists')],
  ],
  [
    'payee id unique',
    (x) => edit(x, ' id="PY2"', ' id="PY1"'),
    [
      err('Payee', 'PY1', 'id', 'id-unique'),
      err('DirectPayment', 'DP2', 'payeeId', 'reference-exists'),
      err('DirectPayment', 'DP3', 'payeeId', 'reference-exists'),
    ],
  ],
  [
    'dp id unique',
    (x) => edit(x, ' id="DP3"', ' id="DP2"'),
    [err('DirectPayment', 'DP2', 'id', 'id-unique')],
  ],
  ['one-off id format', (x) => edit(x, 'id="OO1"', 'id=""'), [err('OneOff', 'DP1', 'id', 'required', 0)]],
  [
    'one-off id unique across DPs',
    (x) =>
      edit(
        x,
        '<Rate from="2026-01-05" weeklyGross="99.99"/>',
        '<Rate from="2026-01-05" weeklyGross="99.99"/><OneOff id="OO1" payDate="2026-11-30" amount="1.00" reason="X"/>',
      ),
    [err('OneOff', 'DP2', 'id', 'id-unique', 0)],
  ],
  [
    'dp personId required',
    (x) => edit(x, 'personId="P2"', 'personId=""'),
    [err('DirectPayment', 'DP2', 'personId', 'required')],
  ],
  // references
  [
    'dp personId must exist',
    (x) => edit(x, 'personId="P2"', 'personId="P9"'),
    [err('DirectPayment', 'DP2', 'personId', 'reference-exists')],
  ],
  [
    'dp payeeId must exist',
    (x) => edit(x, 'payeeId="PY1"', 'payeeId="PY9"'),
    [err('DirectPayment', 'DP1', 'payeeId', 'reference-exists')],
  ],
  // nhs number
  [
    'nhs number shape',
    (x) => edit(x, 'nhsNumber="9434765919"', 'nhsNumber="943476591"'),
    [err('Person', 'P1', 'nhsNumber', 'nhs-number-format')],
  ],
  [
    'nhs number letters',
    (x) => edit(x, 'nhsNumber="9434765919"', 'nhsNumber="943476591X"'),
    [err('Person', 'P1', 'nhsNumber', 'nhs-number-format')],
  ],
  // enums / Y-N
  [
    'restricted enum',
    (x) => edit(x, 'restricted="Y"', 'restricted="Yes"'),
    [err('Person', 'P2', 'restricted', 'enum')],
  ],
  [
    'restricted required',
    (x) => edit(x, 'restricted="Y"', 'restricted=""'),
    [err('Person', 'P2', 'restricted', 'required')],
  ],
  [
    'accountType enum',
    (x) => edit(x, 'accountType="CARD"', 'accountType="CHEQUE"'),
    [err('Payee', 'PY2', 'accountType', 'enum')],
  ],
  [
    'recipientRole enum',
    (x) => edit(x, 'recipientRole="SELF"', 'recipientRole="OWNER"'),
    [err('DirectPayment', 'DP1', 'recipientRole', 'enum')],
  ],
  [
    'frequency enum',
    (x) => edit(x, 'frequency="WEEKLY"', 'frequency="DAILY"'),
    [err('DirectPayment', 'DP2', 'frequency', 'enum')],
  ],
  [
    'basis required',
    (x) => edit(x, 'basis="GROSS"', 'basis=""'),
    [err('DirectPayment', 'DP2', 'basis', 'required')],
  ],
  [
    'fundingStream enum',
    (x) => edit(x, 'fundingStream="S117"', 'fundingStream="NHS"'),
    [err('DirectPayment', 'DP2', 'fundingStream', 'enum')],
  ],
  [
    'cashAllowed enum',
    (x) => edit(x, 'cashAllowed="Y"', 'cashAllowed="y"'),
    [err('DirectPayment', 'DP3', 'cashAllowed', 'enum')],
  ],
  [
    'suspension reason enum',
    (x) => edit(x, 'reason="HOSPITAL"', 'reason="HOLIDAY"'),
    [err('Suspension', 'DP1', 'reason', 'enum', 0)],
  ],
  [
    'kind enum',
    (x) => edit(x, 'kind="FULL"', 'kind="PARTIAL"'),
    [err('Extract', 'HCC-20261123-0100', 'kind', 'enum')],
  ],
  // dates
  [
    'date of birth not a real date',
    (x) => edit(x, 'dateOfBirth="1950-03-02"', 'dateOfBirth="1950-02-30"'),
    [err('Person', 'P1', 'dateOfBirth', 'date-format')],
  ],
  [
    'date of death before birth',
    (x) => edit(x, 'dateOfDeath="2026-11-01"', 'dateOfDeath="1959-12-31"'),
    [err('Person', 'P2', 'dateOfDeath', 'date-order')],
  ],
  [
    'start required',
    (x) => edit(x, 'start="2026-01-05"', 'start=""'),
    [err('DirectPayment', 'DP2', 'start', 'required')],
  ],
  [
    'end before start',
    (x) => edit(x, 'end="2026-11-22"', 'end="2025-01-05"'),
    [err('DirectPayment', 'DP3', 'end', 'date-order')],
  ],
  [
    'lastReviewDate format',
    (x) => edit(x, 'lastReviewDate="2026-05-01"', 'lastReviewDate="01/05/2026"'),
    [err('DirectPayment', 'DP1', 'lastReviewDate', 'date-format')],
  ],
  [
    'rate from format',
    (x) => edit(x, '<Rate from="2026-10-05"', '<Rate from="2026-10-5"'),
    [err('Rate', 'DP1', 'from', 'date-format', 1)],
  ],
  [
    'suspension to before from',
    (x) => edit(x, 'to="2026-08-23"', 'to="2026-08-09"'),
    [err('Suspension', 'DP1', 'to', 'date-order', 0)],
  ],
  [
    'one-off payDate',
    (x) => edit(x, 'payDate="2026-11-30"', 'payDate="2026-13-01"'),
    [err('OneOff', 'DP1', 'payDate', 'date-format', 0)],
  ],
  [
    'generatedAt without zone',
    (x) => edit(x, 'generatedAt="2026-11-23T01:00:00Z"', 'generatedAt="2026-11-23T01:00:00"'),
    [err('Extract', 'HCC-20261123-0100', 'generatedAt', 'timestamp-format')],
  ],
  // money
  [
    'money three places',
    (x) => edit(x, 'weeklyGross="150.00"', 'weeklyGross="150.005"'),
    [err('Rate', 'DP1', 'weeklyGross', 'money-format', 0)],
  ],
  [
    'money negative',
    (x) => edit(x, 'weekly="20.00"', 'weekly="-20.00"'),
    [err('Contribution', 'DP1', 'weekly', 'money-format', 0)],
  ],
  [
    'money exponent',
    (x) => edit(x, 'amount="250.00"', 'amount="2.5e2"'),
    [err('OneOff', 'DP1', 'amount', 'money-format', 0)],
  ],
  [
    'money thousands separator',
    (x) => edit(x, 'weeklyGross="99.99"', 'weeklyGross="1,099.99"'),
    [err('Rate', 'DP2', 'weeklyGross', 'money-format', 0)],
  ],
  [
    'money required',
    (x) => edit(x, 'weeklyGross="10.00"', 'weeklyGross=""'),
    [err('Rate', 'DP3', 'weeklyGross', 'required', 0)],
  ],
  [
    'health pct over 100',
    (x) => edit(x, 'healthPct="50.00"', 'healthPct="100.01"'),
    [err('Split', 'DP1', 'healthPct', 'percent-format', 0)],
  ],
  // bank shape / payee rules
  [
    'sort code 5 digits',
    (x) => edit(x, 'sortCode="089999"', 'sortCode="08999"'),
    [err('Payee', 'PY1', 'sortCode', 'sort-code-format')],
  ],
  [
    'sort code with hyphens',
    (x) => edit(x, 'sortCode="089999"', 'sortCode="08-99-99"'),
    [err('Payee', 'PY1', 'sortCode', 'sort-code-format')],
  ],
  [
    'account number 7 digits',
    (x) => edit(x, 'accountNumber="66374958"', 'accountNumber="6637495"'),
    [err('Payee', 'PY1', 'accountNumber', 'account-number-format')],
  ],
  [
    'vendorNo required for BANK',
    (x) => edit(x, 'vendorNo="4000123"', 'vendorNo=""'),
    [err('Payee', 'PY1', 'vendorNo', 'vendor-no-required')],
  ],
  [
    'vendorNo required for MANAGED (and bank details)',
    (x) => edit(x, 'vendorNo="" accountType="CARD"', 'vendorNo="" accountType="MANAGED"'),
    [
      err('Payee', 'PY2', 'vendorNo', 'vendor-no-required'),
      err('Payee', 'PY2', 'sortCode', 'required'),
      err('Payee', 'PY2', 'accountNumber', 'required'),
      err('Payee', 'PY2', 'accountName', 'required'),
      err('Payee', 'PY2', 'cardProvider', 'not-allowed-for-account-type'),
      err('Payee', 'PY2', 'cardAccountRef', 'not-allowed-for-account-type'),
    ],
  ],
  [
    'bank details on a CARD payee',
    (x) => edit(x, 'accountType="BANK"', 'accountType="CARD"'),
    [
      err('Payee', 'PY1', 'cardProvider', 'required'),
      err('Payee', 'PY1', 'cardAccountRef', 'required'),
      err('Payee', 'PY1', 'sortCode', 'not-allowed-for-account-type'),
      err('Payee', 'PY1', 'accountNumber', 'not-allowed-for-account-type'),
      err('Payee', 'PY1', 'accountName', 'not-allowed-for-account-type'),
    ],
  ],
  // DP structure
  [
    'a DP needs a rate',
    (x) => edit(x, '<Rate from="2026-01-05" weeklyGross="99.99"/>', ''),
    [err('DirectPayment', 'DP2', 'rates', 'required')],
  ],
  [
    'effective dates unique',
    (x) => edit(x, '<Rate from="2026-10-05"', '<Rate from="2026-04-06"'),
    [err('Rate', 'DP1', 'from', 'from-unique', 1)],
  ],
  [
    'JOINT needs a split',
    (x) => edit(x, '<Split partner="ICB-QRL" from="2026-04-06" healthPct="50.00"/>', ''),
    [err('DirectPayment', 'DP1', 'splits', 'joint-requires-split')],
  ],
  [
    'split partner required',
    (x) => edit(x, 'partner="ICB-QRL"', 'partner=""'),
    [err('Split', 'DP1', 'partner', 'required', 0)],
  ],
  [
    'costCentre required',
    (x) => edit(x, 'costCentre="ASC1234"', 'costCentre=""'),
    [err('DirectPayment', 'DP1', 'costCentre', 'required')],
  ],
  // trailer
  [
    'trailer person count',
    (x) => edit(x, 'persons="2"', 'persons="3"'),
    [err('Trailer', 'HCC-20261123-0100', 'persons', 'trailer-count')],
  ],
  [
    'trailer payee count',
    (x) => edit(x, 'payees="2"', 'payees="1"'),
    [err('Trailer', 'HCC-20261123-0100', 'payees', 'trailer-count')],
  ],
  [
    'trailer total format',
    (x) => edit(x, 'totalWeeklyGross="162.50"', 'totalWeeklyGross="162.5O"'),
    [err('Trailer', 'HCC-20261123-0100', 'totalWeeklyGross', 'money-format')],
  ],
  [
    'trailer dp count',
    (x) => edit(x, 'directPayments="3"', 'directPayments="2"'),
    [err('Trailer', 'HCC-20261123-0100', 'directPayments', 'trailer-count')],
  ],
  [
    'trailer total',
    (x) => edit(x, 'totalWeeklyGross="162.50"', 'totalWeeklyGross="162.49"'),
    [err('Trailer', 'HCC-20261123-0100', 'totalWeeklyGross', 'trailer-total')],
  ],
  [
    'trailer count format',
    (x) => edit(x, 'payees="2"', 'payees="two"'),
    [err('Trailer', 'HCC-20261123-0100', 'payees', 'count-format')],
  ],
  [
    'trailer missing',
    (x) => edit(x, '<Trailer persons="2" payees="2" directPayments="3" totalWeeklyGross="162.50"/>', ''),
    [err('Trailer', 'HCC-20261123-0100', '', 'required')],
  ],
  // end is inclusive: DP3 ending on the extract date is open, so the total becomes 172.50
  [
    'end inclusive counts in total',
    (x) => edit(x, 'end="2026-11-22"', 'end="2026-11-23"'),
    [err('Trailer', 'HCC-20261123-0100', 'totalWeeklyGross', 'trailer-total')],
  ],
];

describe('field rules (each bad file gives exactly its errors)', () => {
  it.each(CASES)('%s', async (_name, mutate, expected) => {
    expect(await errorsOf(mutate(BASE_XML))).toEqual(expected);
  });
});

describe('trailer total (hand-derived)', () => {
  it('counts a DP ending on the extract date: 162.50 + 10.00', async () => {
    const x = edit(
      edit(BASE_XML, 'end="2026-11-22"', 'end="2026-11-23"'),
      'totalWeeklyGross="162.50"',
      'totalWeeklyGross="172.50"',
    );
    expect((await readMosaicXmlAll(x)).ok).toBe(true);
  });
  it('counts a person who died on the extract date: 162.50 + 99.99', async () => {
    const x = edit(
      edit(BASE_XML, 'dateOfDeath="2026-11-01"', 'dateOfDeath="2026-11-23"'),
      'totalWeeklyGross="162.50"',
      'totalWeeklyGross="262.49"',
    );
    expect((await readMosaicXmlAll(x)).ok).toBe(true);
  });
  it('uses the rate in force on the extract date, not the latest: a future rate is ignored', async () => {
    const x = edit(
      BASE_XML,
      '<Rate from="2026-10-05" weeklyGross="162.50"/>',
      '<Rate from="2026-10-05" weeklyGross="162.50"/><Rate from="2026-11-24" weeklyGross="500.00"/>',
    );
    expect((await readMosaicXmlAll(x)).ok).toBe(true);
  });
  it('excludes a DP starting after the extract date (DP1 from 2026-11-24: total 0.00)', async () => {
    const x = edit(BASE_XML, 'start="2026-04-06"', 'start="2026-11-24"');
    const r = await readMosaicXmlAll(x);
    expect(r.computedTotalWeeklyGross).toBe(0n);
    expect(r.errors).toEqual([err('Trailer', 'HCC-20261123-0100', 'totalWeeklyGross', 'trailer-total')]);
  });
  it('takes the extract date in Europe/London (23:30Z in June is the next day in BST)', async () => {
    const x = edit(BASE_XML, 'generatedAt="2026-11-23T01:00:00Z"', 'generatedAt="2026-06-30T23:30:00Z"');
    const r = await readMosaicXmlAll(x);
    expect(r.header?.extractDate).toBe('2026-07-01');
  });
});

describe('all errors are collected', () => {
  it('reports every broken rule in one pass, naming no value', async () => {
    let x = BASE_XML;
    x = edit(x, 'nhsNumber="9434765919"', 'nhsNumber="12345"');
    x = edit(x, 'sortCode="089999"', 'sortCode="ABCDEF"');
    x = edit(x, 'weeklyGross="99.99"', 'weeklyGross="99.999"');
    x = edit(x, 'reason="HOSPITAL"', 'reason="SPA"');
    x = edit(x, 'persons="2"', 'persons="5"');
    const errors = await errorsOf(x);
    expect(errors).toEqual([
      err('Person', 'P1', 'nhsNumber', 'nhs-number-format'),
      err('Payee', 'PY1', 'sortCode', 'sort-code-format'),
      err('Suspension', 'DP1', 'reason', 'enum', 0),
      err('Rate', 'DP2', 'weeklyGross', 'money-format', 0),
      err('Trailer', 'HCC-20261123-0100', 'persons', 'trailer-count'),
    ]);
    const text = JSON.stringify(errors);
    for (const value of ['12345', 'ABCDEF', '99.999', 'SPA', 'Smith', 'Winchester'])
      expect(text).not.toContain(value);
  });
});

describe('non-rejecting flags', () => {
  it('flags a person whose NHS number fails modulus 11', async () => {
    const r = await readMosaicXmlAll(edit(BASE_XML, 'nhsNumber="9434765919"', 'nhsNumber="9434765918"'));
    expect(r.errors).toEqual([]);
    expect(r.flags).toEqual([{ recordType: 'Person', recordId: 'P1', flag: 'nhs-number-invalid' }]);
    expect(r.persons[0].nhsNumberValid).toBe(false);
  });
  it('flags a payee whose bank details fail the modulus check (VocaLink case 29)', async () => {
    const r = await readMosaicXmlAll(edit(BASE_XML, 'accountNumber="66374958"', 'accountNumber="66374959"'));
    expect(r.errors).toEqual([]);
    expect(r.flags).toEqual([{ recordType: 'Payee', recordId: 'PY1', flag: 'bank-modulus-failed' }]);
    expect(r.payees[0].bank?.modulusValid).toBe(false);
  });
  it('keeps but flags a contribution on an S117 DP', async () => {
    const r = await readMosaicXmlAll(
      edit(
        BASE_XML,
        '<Rate from="2026-01-05" weeklyGross="99.99"/>',
        '<Rate from="2026-01-05" weeklyGross="99.99"/><Contribution from="2026-01-05" weekly="5.00"/>',
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.flags).toEqual([
      { recordType: 'DirectPayment', recordId: 'DP2', flag: 's117-contribution-ignored' },
    ]);
  });
});
