/**
 * The canonical inputs and outputs of the DP account audit (docs/audit.md). Amounts are integer
 * pence (bigint); dates are Europe/London civil dates `YYYY-MM-DD`. Built by the audit loader
 * from the card ledger, bank statements, payment lines, care records and officers' liabilities.
 */
import type { CivilDate, Pence } from '@dpb/common';
import type { Basis, Contribution, FundingStream, Rate } from '@dpb/care-records/model';

export type LedgerStatus = 'SETTLED' | 'PENDING' | 'DECLINED' | 'REVERSED';
export type CardItemType = 'LOAD' | 'POS' | 'ATM' | 'TRANSFER_OUT' | 'TRANSFER_IN' | 'FEE' | 'REFUND' | 'UNLOAD';

/** One item of the DP's account: a card transaction (latest status) or a booked bank entry. */
export interface LedgerItem {
  /** card: the provider's txn_id; bank: the bank_entry id. */
  id: string;
  source: 'card' | 'bank';
  /** London date of posted_at (card) or the booking date (bank). */
  date: CivilDate;
  /** Card type; null for bank entries. */
  type: CardItemType | null;
  /** Bank BOOKED is SETTLED here. */
  status: LedgerStatus;
  /** Signed: credits positive, debits negative. */
  amountPence: Pence;
  mcc: string | null;
  merchant: string | null;
  reference: string | null;
  /** A bank credit that is a council payment (its reference or end-to-end id is one of the council's credits). */
  fromCouncil: boolean;
}

/** The DP's terms as the audit needs them (from the care record). */
export interface AuditDp {
  dpId: string;
  basis: Basis;
  fundingStream: FundingStream;
  start: CivilDate;
  lastReviewDate: CivilDate | null;
  /** The person's own override (care record); the council's `cashAllowed` also allows cash. */
  cashAllowed: boolean;
  rates: Rate[];
  contributions: Contribution[];
}

/** A REGULAR or ADJUSTMENT payment line of the DP, with the date it was released (null: held or cancelled). */
export interface ContributionLine {
  kind: 'REGULAR' | 'ADJUSTMENT';
  periodStart: CivilDate;
  contributionPence: Pence;
  releasedOn: CivilDate | null;
}

export interface AuditWindow {
  from: CivilDate;
  to: CivilDate;
}

export interface AuditThresholds {
  surplusWeeks: number;
  surplusFloorPence: Pence;
  contributionTolerancePence: Pence;
  contributionEscalateAfter: number;
  flagMcc: readonly string[];
  cashMcc: readonly string[];
  cashAllowed: boolean;
  allowPayees: readonly string[];
}

export type FlagKind = 'SAFEGUARDING' | 'CASH' | 'MCC';
export interface SpendFlag {
  txnId: string;
  kind: FlagKind;
  mcc: string | null;
  amountPence: Pence;
}

export interface ReviewStatus {
  due: CivilDate;
  overdue: boolean;
}

export interface AuditFigures {
  dpId: string;
  window: AuditWindow;
  /** Start of the DP's first audit window: contributions are cumulative from here. */
  contributionsFrom: CivilDate;
  balancePence: Pence;
  expectedContributionsPence: Pence;
  receivedContributionsPence: Pence;
  liabilitiesPence: Pence;
  contingencyPence: Pence;
  surplusPence: Pence;
  contributionRefundPence: Pence;
  councilExcessPence: Pence;
  missedContributionsPence: Pence;
  /** Audits in a row (this one included) with missed contributions above the tolerance. */
  missedStreak: number;
  missedEscalated: boolean;
  flags: SpendFlag[];
  review: ReviewStatus;
  /** The ids of the ledger items behind the figures (credits counted as contributions). */
  contributionItemIds: string[];
}
