/**
 * What the finance-file writers receive for one payment run: already-decided credits, in
 * their final order. Writers never compute amounts; they lay out what is here, compute
 * their own control totals, and are re-read to check those totals before delivery.
 * Amounts are integer pence as bigint. Dates are civil `YYYY-MM-DD`.
 */
/** The council's SAP posting file (payments and AR alike), and its payment file (NONE: SAP pays). */
export const POSTING_FORMATS = ['SAP_IDOC', 'SAP_CSV'] as const;
export type PostingFormat = (typeof POSTING_FORMATS)[number];
export const PAYMENT_FORMATS = ['NONE', 'BACS_STD18', 'PAIN001'] as const;
export type PaymentFormat = (typeof PAYMENT_FORMATS)[number];

export interface FinanceSettings {
  council: string;
  sapCompanyCode: string;
  /** SAP document type for DP vendor postings (e.g. KR). */
  sapDocTypePayment: string;
  currency: 'GBP';
  /** Bacs service user number (6 chars) and the council's originating account. */
  bacsServiceUserNumber?: string;
  originatorName?: string;
  originatingSortCode?: string;
  originatingAccountNumber?: string;
  originatingAccountName?: string;
  /** pain.001 debtor details. */
  debtorName?: string;
}

export interface CreditLine {
  dpId: string;
  kind: 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';
  periodStart: string;
  periodEnd: string;
  costCentre: string;
  glAccount: string;
  /** May be negative for an ADJUSTMENT that nets against others in the same credit. */
  payablePence: bigint;
}

/** One payment to one payee (or, for CARD payees, to the card provider's funding account). */
export interface Credit {
  paymentRef: string; // <= 18 chars, A-Z 0-9 . & / - space
  endToEndId: string; // <= 35 chars
  payeeId: string;
  /** SAP vendor: the payee's own, or the card provider's funding vendor. */
  vendorNo: string;
  sortCode: string; // 6 digits
  accountNumber: string; // 8 digits
  accountName: string;
  amountPence: bigint; // > 0, = sum of lines
  lines: CreditLine[];
}

export interface CardLoad {
  provider: string;
  accountRef: string;
  payeeId: string;
  amountPence: bigint;
  reference: string; // the credit's paymentRef
}

export interface PaymentRunFilesInput {
  runId: string; // e.g. HCC-20261209-1
  council: string;
  runDate: string; // Bacs input day
  processingDate: string; // next Bacs day (Std 18 UHL1)
  entryDate: string; // the day after (pain.001 ReqdExctnDt)
  sequence: number;
  settings: FinanceSettings;
  credits: Credit[]; // ordered by paymentRef
  cardLoads: CardLoad[]; // ordered by provider, accountRef
}

export interface WrittenFile {
  name: string;
  content: Buffer;
  /** payment records (not labels, headers or trailers) and their sum. */
  records: number;
  totalPence: bigint;
}
