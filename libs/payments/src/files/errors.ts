/**
 * Errors raised by the finance-file writers and readers. Messages name record ids (payeeId,
 * paymentRef, line numbers), field names and rule names: never names, bank details or amounts.
 */
export class FinanceFileError extends Error {
  constructor(
    /** Machine-readable rule name, e.g. `CREDIT_AMOUNT_NOT_SUM_OF_LINES`. */
    readonly rule: string,
    message: string,
  ) {
    super(`${rule}: ${message}`);
    this.name = 'FinanceFileError';
  }
}
