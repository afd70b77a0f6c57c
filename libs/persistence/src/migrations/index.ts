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
import { NightFlows1763900012000 } from './1763900012000-NightFlows';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [Platform1763900000000, CareRecords1763900001000, Payments1763900002000, Statements1763900003000, OfficerActions1763900004000, BulkReferences1763900005000, ManifestBytes1763900006000, RunLineIndex1763900007000, CareStatistics1763900008000, CalcBasisPerCouncil1763900009000, RunHorizon1763900010000, NightFlows1763900012000];
