import { Platform1763900000000 } from './1763900000000-Platform';
import { CareRecords1763900001000 } from './1763900001000-CareRecords';
import { Payments1763900002000 } from './1763900002000-Payments';
import { Statements1763900003000 } from './1763900003000-Statements';
import { OfficerActions1763900004000 } from './1763900004000-OfficerActions';
import { BulkReferences1763900005000 } from './1763900005000-BulkReferences';
import { ManifestBytes1763900006000 } from './1763900006000-ManifestBytes';
import { RunLineIndex1763900007000 } from './1763900007000-RunLineIndex';
import { CareStatistics1763900008000 } from './1763900008000-CareStatistics';
import { CalcBasisPerCouncil1763900009000 } from './1763900009000-CalcBasisPerCouncil';
import { RunHorizon1763900010000 } from './1763900010000-RunHorizon';
import { InboundReadAttempts1763900011000 } from './1763900011000-InboundReadAttempts';
import { NightFlows1763900012000 } from './1763900012000-NightFlows';
import { OfficerCases1763900013000 } from './1763900013000-OfficerCases';
import { PaymentConfirmation1763900013100 } from './1763900013100-PaymentConfirmation';
import { CaseChecks1763900013200 } from './1763900013200-CaseChecks';
import { DpAudit1763900014000 } from './1763900014000-DpAudit';
import { Invoices1763900015000 } from './1763900015000-Invoices';
import { ArOpenItems1763900015100 } from './1763900015100-ArOpenItems';
import { ArBatch1763900015200 } from './1763900015200-ArBatch';
import { ReclaimDpBasis1763900015300 } from './1763900015300-ReclaimDpBasis';
import { OfficerAuditAppendOnly1763900016000 } from './1763900016000-OfficerAuditAppendOnly';
import { RecoveryOffsets1763900018000 } from './1763900018000-RecoveryOffsets';
import { ContributionAdjustments1763900018100 } from './1763900018100-ContributionAdjustments';

/** Every migration, in order (one a line). New migrations are appended here. */
export const MIGRATIONS = [
  Platform1763900000000,
  CareRecords1763900001000,
  Payments1763900002000,
  Statements1763900003000,
  OfficerActions1763900004000,
  BulkReferences1763900005000,
  ManifestBytes1763900006000,
  RunLineIndex1763900007000,
  CareStatistics1763900008000,
  CalcBasisPerCouncil1763900009000,
  RunHorizon1763900010000,
  InboundReadAttempts1763900011000,
  NightFlows1763900012000,
  OfficerCases1763900013000,
  PaymentConfirmation1763900013100,
  CaseChecks1763900013200,
  DpAudit1763900014000,
  Invoices1763900015000,
  ArOpenItems1763900015100,
  ArBatch1763900015200,
  ReclaimDpBasis1763900015300,
  OfficerAuditAppendOnly1763900016000,
  RecoveryOffsets1763900018000,
  ContributionAdjustments1763900018100,
];
