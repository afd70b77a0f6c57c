/**
 * Checks a PaymentRunFilesInput before any file is laid out. Writers never fix data: a bad
 * input stops the whole run's files (one bad line quarantines the file, never skipped).
 */
import { checkedCivilDate } from './dates';
import { FinanceFileError } from './errors';
import type { Credit, PaymentRunFilesInput } from './model';

/** A payment reference: 1-18 characters from A-Z 0-9 . & / - and space (docs/payment-rules.md, "Lines, credits and references"). */
export const PAYMENT_REF = /^[A-Z0-9.&/\- ]{1,18}$/;
const COUNCIL = /^[A-Z0-9]{1,10}$/;
const RUN_ID = /^[A-Za-z0-9.\-_/]{1,35}$/;
const END_TO_END_ID = /^[A-Za-z0-9.\-_/:+ ]{1,35}$/;
const SORT_CODE = /^\d{6}$/;
const ACCOUNT_NUMBER = /^\d{8}$/;
const VENDOR_NO = /^[A-Za-z0-9]{1,10}$/;
const CARD_PROVIDER = /^[A-Za-z0-9]{1,20}$/;

/** The lines of a credit that go into files: zero-payable lines are recorded, never written. */
export function writtenLines(credit: Credit): Credit['lines'] {
  return credit.lines.filter((l) => l.payablePence !== 0n);
}

export function validateRunInput(input: PaymentRunFilesInput): void {
  if (!COUNCIL.test(input.council)) throw new FinanceFileError('INVALID_COUNCIL', 'council must be 1-10 of A-Z 0-9');
  if (!RUN_ID.test(input.runId)) throw new FinanceFileError('INVALID_RUN_ID', 'runId must be 1-35 of A-Z a-z 0-9 . - _ /');
  if (!Number.isInteger(input.sequence) || input.sequence < 1) {
    throw new FinanceFileError('INVALID_SEQUENCE', 'sequence must be a positive integer');
  }
  checkedCivilDate(input.runDate, 'runDate');
  checkedCivilDate(input.processingDate, 'processingDate');
  checkedCivilDate(input.entryDate, 'entryDate');
  if (!(input.runDate < input.processingDate && input.processingDate < input.entryDate)) {
    throw new FinanceFileError('DATES_OUT_OF_ORDER', 'runDate < processingDate < entryDate is required');
  }
  if (input.settings.currency !== 'GBP') throw new FinanceFileError('UNSUPPORTED_CURRENCY', 'settings.currency must be GBP');

  const byRef = new Map<string, Credit>();
  const e2e = new Set<string>();
  // Period dates repeat across thousands of lines: each distinct string is checked once.
  const goodDates = new Set<string>();
  const checkDate = (date: string, field: () => string): void => {
    if (goodDates.has(date)) return;
    checkedCivilDate(date, field());
    goodDates.add(date);
  };
  const credits = input.credits;
  for (let i = 0; i < credits.length; i++) {
    const c = credits[i];
    const id = () => `credit[${i}] payee ${c.payeeId}`;
    if (!PAYMENT_REF.test(c.paymentRef)) throw new FinanceFileError('INVALID_PAYMENT_REF', `${id()}: paymentRef`);
    if (byRef.has(c.paymentRef)) throw new FinanceFileError('DUPLICATE_PAYMENT_REF', `${id()}: paymentRef ${c.paymentRef}`);
    byRef.set(c.paymentRef, c);
    if (!END_TO_END_ID.test(c.endToEndId)) throw new FinanceFileError('INVALID_END_TO_END_ID', `${id()}: endToEndId`);
    if (e2e.has(c.endToEndId)) throw new FinanceFileError('DUPLICATE_END_TO_END_ID', `${id()}: endToEndId`);
    e2e.add(c.endToEndId);
    if (!SORT_CODE.test(c.sortCode)) throw new FinanceFileError('INVALID_SORT_CODE', `${id()}: sortCode`);
    if (!ACCOUNT_NUMBER.test(c.accountNumber)) throw new FinanceFileError('INVALID_ACCOUNT_NUMBER', `${id()}: accountNumber`);
    if (!c.vendorNo || !VENDOR_NO.test(c.vendorNo)) throw new FinanceFileError('INVALID_VENDOR_NO', `${id()}: vendorNo`);
    if (c.amountPence <= 0n) throw new FinanceFileError('CREDIT_NOT_POSITIVE', `${id()}: amountPence`);
    let written = 0;
    let sum = 0n;
    for (const l of c.lines) {
      if (l.payablePence === 0n) continue; // zero-payable lines are recorded, never written
      written++;
      sum += l.payablePence;
    }
    if (written === 0) throw new FinanceFileError('CREDIT_WITHOUT_LINES', `${id()}: lines`);
    if (sum !== c.amountPence) throw new FinanceFileError('CREDIT_AMOUNT_NOT_SUM_OF_LINES', `${id()}: amountPence`);
    for (const l of c.lines) {
      if (l.payablePence === 0n) continue;
      if (!l.glAccount || !l.costCentre) {
        throw new FinanceFileError('LINE_WITHOUT_ACCOUNTING', `${id()} dp ${l.dpId}: glAccount/costCentre`);
      }
      checkDate(l.periodStart, () => `${id()} dp ${l.dpId} periodStart`);
      checkDate(l.periodEnd, () => `${id()} dp ${l.dpId} periodEnd`);
    }
  }

  const loaded = new Map<string, bigint>();
  input.cardLoads.forEach((l, i) => {
    const id = `cardLoad[${i}] payee ${l.payeeId}`;
    if (!CARD_PROVIDER.test(l.provider)) throw new FinanceFileError('INVALID_CARD_PROVIDER', `${id}: provider`);
    if (!l.accountRef) throw new FinanceFileError('INVALID_CARD_ACCOUNT_REF', `${id}: accountRef`);
    if (l.amountPence <= 0n) throw new FinanceFileError('CARD_LOAD_NOT_POSITIVE', `${id}: amountPence`);
    const credit = byRef.get(l.reference);
    if (!credit) throw new FinanceFileError('CARD_LOAD_WITHOUT_CREDIT', `${id}: reference`);
    if (credit.payeeId !== l.payeeId) throw new FinanceFileError('CARD_LOAD_PAYEE_MISMATCH', `${id}: payeeId`);
    loaded.set(l.reference, (loaded.get(l.reference) ?? 0n) + l.amountPence);
  });
  for (const [ref, total] of loaded) {
    if (byRef.get(ref)?.amountPence !== total) {
      throw new FinanceFileError('CARD_LOADS_NOT_EQUAL_CREDIT', `card loads for paymentRef ${ref}: amountPence`);
    }
  }
}
