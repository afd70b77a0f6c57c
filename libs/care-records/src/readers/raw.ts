/**
 * Raw records: what a reader produced, before any field rule is applied. Every value is the
 * exact string from the file ('' when absent or empty), under its canonical field name
 * (after any council mapping). The validator turns these into the canonical model.
 */

export interface RawHeader {
  type: 'header';
  extractId: string;
  council: string;
  generatedAt: string;
  kind: string;
}

export interface RawPerson {
  type: 'person';
  id: string;
  nhsNumber: string;
  restricted: string;
  dateOfBirth: string;
  dateOfDeath: string;
  title: string;
  firstName: string;
  lastName: string;
  addressLine1: string;
  town: string;
  postcode: string;
}

export interface RawPayee {
  type: 'payee';
  id: string;
  vendorNo: string;
  accountType: string;
  sortCode: string;
  accountNumber: string;
  accountName: string;
  cardProvider: string;
  cardAccountRef: string;
}

export interface RawRate {
  from: string;
  weeklyGross: string;
}
export interface RawContribution {
  from: string;
  weekly: string;
}
export interface RawSuspension {
  from: string;
  to: string;
  reason: string;
}
export interface RawOneOff {
  id: string;
  payDate: string;
  amount: string;
  reason: string;
}
export interface RawSplit {
  partner: string;
  from: string;
  healthPct: string;
}

export interface RawDirectPayment {
  type: 'directPayment';
  id: string;
  personId: string;
  payeeId: string;
  recipientRole: string;
  frequency: string;
  basis: string;
  fundingStream: string;
  costCentre: string;
  glAccount: string;
  start: string;
  end: string;
  lastReviewDate: string;
  cashAllowed: string;
  rates: RawRate[];
  contributions: RawContribution[];
  suspensions: RawSuspension[];
  oneOffs: RawOneOff[];
  splits: RawSplit[];
}

export interface RawTrailer {
  type: 'trailer';
  persons: string;
  payees: string;
  directPayments: string;
  totalWeeklyGross: string;
}

/** A CSV child row whose dp_id matches no row of direct_payments.csv. */
export interface RawOrphan {
  type: 'orphan';
  recordType: 'Rate' | 'Contribution' | 'Suspension' | 'OneOff' | 'Split';
  dpId: string;
  /** 0-based position among that file's rows for this dp_id. */
  index: number;
}

export type RawRecord = RawHeader | RawPerson | RawPayee | RawDirectPayment | RawTrailer | RawOrphan;

export const PERSON_FIELDS = [
  'id',
  'nhsNumber',
  'restricted',
  'dateOfBirth',
  'dateOfDeath',
  'title',
  'firstName',
  'lastName',
  'addressLine1',
  'town',
  'postcode',
] as const;
export const PAYEE_FIELDS = [
  'id',
  'vendorNo',
  'accountType',
  'sortCode',
  'accountNumber',
  'accountName',
  'cardProvider',
  'cardAccountRef',
] as const;
export const DP_FIELDS = [
  'id',
  'personId',
  'payeeId',
  'recipientRole',
  'frequency',
  'basis',
  'fundingStream',
  'costCentre',
  'glAccount',
  'start',
  'end',
  'lastReviewDate',
  'cashAllowed',
] as const;
