/**
 * Canonical records -> lines of PostgreSQL COPY text format, one per staging row. Pure functions:
 * no I/O. Column order matches the staging tables in care-records.repository.ts.
 *
 * A DP's terms are one JSON document, `TermsJson` (terms-json.ts), which libs/payments
 * calcFromTerms reads through the same type.
 */
import { createHash } from 'node:crypto';
import { copyValue } from '@dpb/persistence';
import type { DirectPayment, Payee, Person } from '../model';
import { termsJsonText } from '../terms-json';

const NULL = '\\N';

/** One COPY text field: the shared encoder (backslash, tab, newline and CR escaped; null as \N). */
export const copyField = (v: string | null): string => copyValue(v);

const bool = (b: boolean | null): string => (b === null ? NULL : b ? 't' : 'f');

/** SHA-256 of `sortCode|accountNumber`: compares bank details without keeping them in logs. */
export function bankHash(sortCode: string, accountNumber: string): string {
  return createHash('sha256').update(`${sortCode}|${accountNumber}`).digest('hex');
}

export const PERSON_COLUMNS = [
  'person_id', 'nhs_number', 'nhs_valid', 'restricted', 'date_of_birth', 'date_of_death',
  'title', 'first_name', 'last_name', 'address_line1', 'town', 'postcode',
] as const;

export function personLine(p: Person): string {
  const d = p.personal;
  return [
    copyField(p.id),
    copyField(d.nhsNumber),
    // As before: no NHS number counts as "not failed" (the flag is only for a failed check).
    bool(p.nhsNumberValid !== false),
    bool(p.restricted),
    copyField(d.dateOfBirth),
    copyField(p.dateOfDeath),
    copyField(d.title),
    copyField(d.firstName),
    copyField(d.lastName),
    copyField(d.address.line1),
    copyField(d.address.town),
    copyField(d.address.postcode),
  ].join('\t') + '\n';
}

export const PAYEE_COLUMNS = [
  'payee_id', 'vendor_no', 'account_type', 'sort_code', 'account_number', 'account_name',
  'modulus_valid', 'card_provider', 'card_account_ref', 'bank_hash',
] as const;

export function payeeLine(p: Payee): string {
  const b = p.bank;
  return [
    copyField(p.id),
    copyField(p.vendorNo),
    p.accountType,
    copyField(b?.sortCode ?? null),
    copyField(b?.accountNumber ?? null),
    copyField(b?.accountName ?? null),
    bool(b ? b.modulusValid : null),
    copyField(p.card?.provider ?? null),
    copyField(p.card?.accountRef ?? null),
    b ? bankHash(b.sortCode, b.accountNumber) : NULL,
  ].join('\t') + '\n';
}

export const DP_COLUMNS = [
  'dp_id', 'person_id', 'payee_id', 'recipient_role', 'frequency', 'basis', 'funding_stream',
  'cost_centre', 'gl_account', 'start_date', 'end_date', 'last_review_date', 'cash_allowed', 'terms',
] as const;

/** The DP's effective-dated terms as JSON text (the terms document's codec, `terms-json.ts`). */
export const termsJson = termsJsonText;

export function dpLine(dp: DirectPayment): string {
  return [
    copyField(dp.id),
    copyField(dp.personId),
    copyField(dp.payeeId),
    dp.recipientRole,
    dp.frequency,
    dp.basis,
    dp.fundingStream,
    copyField(dp.costCentre),
    copyField(dp.glAccount),
    dp.start,
    copyField(dp.end),
    copyField(dp.lastReviewDate),
    bool(dp.cashAllowed),
    copyField(termsJson(dp)),
  ].join('\t') + '\n';
}
