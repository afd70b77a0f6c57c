/** What every reader returns: the payments found in a file, re-derived from its bytes. */

export type FinanceFileFormat =
  | 'SAP_IDOC'
  | 'SAP_CSV'
  | 'BACS_STD18'
  | 'PAIN001'
  | 'CARDLOAD';

export interface ReadCredit {
  /** The payment reference: paymentRef (SAP, Std 18, pain.001 Ustrd) or the card load reference. */
  ref: string;
  amountPence: bigint;
  endToEndId?: string;
  vendorNo?: string;
  sortCode?: string;
  accountNumber?: string;
  accountName?: string;
  /** Card loads: the card account reference. */
  accountRef?: string;
  currency?: string;
  /** SAP files: number of GL (expense) lines making up this credit. */
  lineCount?: number;
}

export interface ReadResult {
  format: FinanceFileFormat;
  /** Payment records found (credits; card loads for a card-load file). */
  records: number;
  /** Sum of the payment records' amounts. */
  totalPence: bigint;
  credits: ReadCredit[];
  /**
   * Control values the file itself declares (trailer, UTL1, NbOfTxs/CtrlSum) where it has them.
   * `undefined` when the file does not declare one (e.g. pain.001 GrpHdr without CtrlSum).
   * `lines` is the SAP flat file's trailer count of detail (GL) lines.
   */
  declared: { records?: number; totalPence?: bigint; lines?: number };
  /**
   * Inconsistencies found while reading (declared count/total not matching the records, an
   * unbalanced SAP document, ...). Empty for a good file. Readers report, they do not throw,
   * unless the bytes cannot be parsed at all.
   */
  problems: string[];
}
