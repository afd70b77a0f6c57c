/**
 * Canonical care-record extract model (docs/formats/mosaic-export.md, version 1).
 *
 * Whatever the council's encoding (XML or CSV, with or without a mapping), readers and the
 * validator produce exactly these shapes. Money is integer pence (`bigint`), percentages are
 * basis points (`bigint`, 50.00% = 5000n), dates are civil `YYYY-MM-DD` strings, absent values
 * are `null`.
 *
 * PERSONAL DATA: everything under `Person.personal`, `Payee.bank` and `Payee.card` is personal
 * or financial data and must never reach logs, job data or error messages. `PERSONAL_FIELD_PATHS`
 * lists those paths for log redaction. Record ids, enums, dates of service and amounts are not
 * personal on their own and may be logged.
 */

import type { CivilDate, Pence } from '@dpb/common';

/** Civil dates are common's (`YYYY-MM-DD`); re-exported for the model's readers. */
export type { CivilDate };

export const EXTRACT_KINDS = ['FULL', 'DELTA'] as const;
export type ExtractKind = (typeof EXTRACT_KINDS)[number];
export const ACCOUNT_TYPES = ['BANK', 'CARD', 'MANAGED'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const RECIPIENT_ROLES = ['SELF', 'NOMINATED', 'AUTHORISED'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];
export const FREQUENCIES = ['WEEKLY', 'FORTNIGHTLY', 'FOUR_WEEKLY', 'MONTHLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const BASES = ['NET', 'GROSS'] as const;
export type Basis = (typeof BASES)[number];
export const FUNDING_STREAMS = ['LA', 'S117', 'JOINT'] as const;
export type FundingStream = (typeof FUNDING_STREAMS)[number];
export const SUSPENSION_REASONS = ['HOSPITAL', 'RESPITE', 'OTHER'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export interface ExtractHeader {
  extractId: string;
  council: string;
  /** Normalised to UTC ISO-8601 with milliseconds (`2026-11-23T01:00:00.000Z`). */
  generatedAt: string;
  kind: ExtractKind;
  /** The Europe/London civil date of `generatedAt`. */
  extractDate: CivilDate;
}

/** Personal details of a person: never log, never put in an error message. */
export interface PersonalDetails {
  nhsNumber: string | null;
  dateOfBirth: CivilDate | null;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  address: { line1: string | null; town: string | null; postcode: string | null };
}

export interface Person {
  id: string;
  restricted: boolean;
  dateOfDeath: CivilDate | null;
  /** null when no NHS number was supplied; false = failed modulus 11 (person flagged). */
  nhsNumberValid: boolean | null;
  personal: PersonalDetails;
}

/** Bank details: financial personal data. */
export interface BankAccount {
  sortCode: string;
  accountNumber: string;
  accountName: string;
  /** Pay.UK modulus check result; false = payee flagged and its payments held. */
  modulusValid: boolean;
}

/** Prepaid card account reference: financial personal data. */
export interface CardAccount {
  provider: string;
  accountRef: string;
}

export interface Payee {
  id: string;
  vendorNo: string | null;
  accountType: AccountType;
  /** Present for BANK and MANAGED payees. */
  bank: BankAccount | null;
  /** Present for CARD payees. */
  card: CardAccount | null;
}

/** Each applies from `from` until the next one's `from`. */
export interface Rate {
  from: CivilDate;
  weeklyGrossPence: Pence;
}
export interface Contribution {
  from: CivilDate;
  weeklyPence: Pence;
}
export interface Suspension {
  from: CivilDate;
  /** Inclusive; null = open-ended. */
  to: CivilDate | null;
  reason: SuspensionReason;
}
export interface OneOff {
  id: string;
  payDate: CivilDate;
  amountPence: Pence;
  reason: string;
}
export interface Split {
  partner: string;
  from: CivilDate;
  /** Health partner share: healthPct with its 2 decimals as basis points (50.00% = 5000n). */
  healthBasisPoints: bigint;
}

export interface DirectPayment {
  id: string;
  personId: string;
  payeeId: string;
  recipientRole: RecipientRole;
  frequency: Frequency;
  basis: Basis;
  fundingStream: FundingStream;
  costCentre: string;
  glAccount: string;
  start: CivilDate;
  /** Inclusive; null = open. */
  end: CivilDate | null;
  lastReviewDate: CivilDate | null;
  cashAllowed: boolean;
  /** Effective-dated, sorted by `from` (each applies until the next one's `from`). */
  rates: Rate[];
  /**
   * As supplied, sorted by `from`. For S117 DPs these are kept for the record but never charged
   * (the DP carries the `s117-contribution-ignored` flag).
   */
  contributions: Contribution[];
  /** Sorted by `from`. */
  suspensions: Suspension[];
  /** In extract order. */
  oneOffs: OneOff[];
  /** Sorted by `from`. */
  splits: Split[];
}

export interface Trailer {
  persons: number;
  payees: number;
  directPayments: number;
  totalWeeklyGrossPence: Pence;
}

export type ExtractRecord =
  | { type: 'header'; header: ExtractHeader }
  | { type: 'person'; person: Person }
  | { type: 'payee'; payee: Payee }
  | { type: 'directPayment'; directPayment: DirectPayment }
  | { type: 'trailer'; trailer: Trailer };

/** Paths (pino redact syntax) of personal/financial data inside canonical records. */
export const PERSONAL_FIELD_PATHS: readonly string[] = [
  'personal',
  'person.personal',
  'bank',
  'payee.bank',
  'card',
  'payee.card',
  '*.personal',
  '*.bank',
  '*.card',
];
