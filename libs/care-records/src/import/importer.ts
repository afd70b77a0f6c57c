/**
 * Writes validated care records into the current-state tables (person, payee, direct_payment)
 * with a `care_version` history row for every new or changed record, inside the caller's
 * transaction. Records are COPYed into TEMP staging tables in batches as they arrive and merged
 * set-based batch by batch (bounded memory). Nothing is deleted: a DP missing from a FULL extract (and not past its end)
 * is flagged for an officer and its payments are held.
 */
import type { EntityManager } from 'typeorm';
import { lockCouncil } from '@dpb/persistence';
import type { DirectPayment, ExtractHeader, Payee, Person } from '../model';
import { dpLine, payeeLine, personLine } from './copy-rows';
import {
  analyzeCareRecords, createStages, dropStages, extractApplied, insertCareExtract, lastExtractIsLater, markBankChanged, refreshMissingFromFull, setExtractCounts,
} from './care-records.repository';
import { BatchWriter } from './stager';

/** A whole, validated extract, as the readers and the validator deliver it. */
export interface ExtractContent {
  header: ExtractHeader;
  persons: Person[];
  payees: Payee[];
  directPayments: DirectPayment[];
}

export interface ImportCounts {
  persons: { added: number; changed: number; unchanged: number };
  payees: { added: number; changed: number; unchanged: number; bankChanged: number };
  directPayments: { added: number; changed: number; unchanged: number; missingFromFull: number };
}

/** Records added or changed by one extract from which the planner's statistics are refreshed at its end. */
export const ANALYZE_AFTER_WRITES = 10_000;

export type ExtractOrderRule = 'EXTRACT_OLDER_THAN_LAST_APPLIED' | 'EXTRACT_ID_ALREADY_APPLIED' | 'COUNCIL_MISMATCH';

export class ExtractOrderError extends Error {
  override readonly name = 'ExtractOrderError';
  constructor(readonly rule: ExtractOrderRule) {
    super(rule);
  }
}

/**
 * One extract being imported. `begin` checks the extract may be applied (council, order, not
 * applied before) under a per-council transaction lock, records it in care_extract and creates
 * the staging tables; `add*` write records in batches as they come; `finish` writes the rest and
 * applies the extract-wide rules (bank change, missing from FULL). Everything goes through `m`:
 * if the caller's transaction rolls back (say, the trailer disagrees after every record was
 * written), nothing of the extract remains.
 */
export class CareImport {
  private constructor(
    private readonly m: EntityManager,
    private readonly council: string,
    private readonly extractRef: string,
    readonly header: ExtractHeader,
    private readonly writer: BatchWriter,
  ) {}

  static async begin(m: EntityManager, council: string, ledgerId: string, header: ExtractHeader, batchRows?: number): Promise<CareImport> {
    if (header.council !== council) throw new ExtractOrderError('COUNCIL_MISMATCH');
    // One care import per council at a time: the order checks below stay true until commit.
    await lockCouncil(m, 'care_extract', council);
    if (await lastExtractIsLater(m, council, header.generatedAt)) throw new ExtractOrderError('EXTRACT_OLDER_THAN_LAST_APPLIED');
    if (await extractApplied(m, council, header.extractId)) throw new ExtractOrderError('EXTRACT_ID_ALREADY_APPLIED');
    // Counts are filled in by finish().
    const extractRef = await insertCareExtract(m, council, ledgerId, header);
    await createStages(m);
    return new CareImport(m, council, extractRef, header, new BatchWriter(m, council, extractRef, batchRows));
  }

  addPerson(p: Person): Promise<void> {
    return this.writer.add('person', personLine(p));
  }
  addPayee(p: Payee): Promise<void> {
    return this.writer.add('payee', payeeLine(p));
  }
  /** `refsRead`: the DP's person and payee came earlier in the file (else it is written last). */
  addDirectPayment(dp: DirectPayment, refsRead = true): Promise<void> {
    return this.writer.add(refsRead ? 'dp' : 'dpLate', dpLine(dp));
  }

  /** Writes what is left and applies the extract-wide rules. `onTimings` receives milliseconds per step. */
  async finish(onTimings?: (ms: Record<string, number>) => void): Promise<ImportCounts> {
    const { m, council, header, extractRef, writer } = this;
    const ms: Record<string, number> = {};
    let lap = process.hrtime.bigint();
    const mark = (k: string): void => {
      const now = process.hrtime.bigint();
      ms[k] = Number((now - lap) / 1_000_000n);
      lap = now;
    };
    await writer.finish();
    mark('lastBatches');
    const rows = writer.rows;
    await setExtractCounts(m, extractRef, rows.person, rows.payee, rows.dp + rows.dpLate);
    const bankChanged = await markBankChanged(m, council, extractRef);
    const missing = await refreshMissingFromFull(m, council, header.kind === 'FULL' ? header.extractDate : null);
    await dropStages(m);
    mark('extractRules');
    const c = writer.counts;
    const written = c.person.added + c.person.changed + c.payee.added + c.payee.changed + c.dp.added + c.dp.changed;
    if (written >= ANALYZE_AFTER_WRITES) {
      // The payment run follows at once; autovacuum would refresh the statistics only later.
      await analyzeCareRecords(m);
      mark('analyze');
    }
    onTimings?.(ms);
    return {
      persons: c.person,
      payees: { ...c.payee, bankChanged },
      directPayments: { ...c.dp, missingFromFull: missing },
    };
  }
}

/** Applies one whole, validated extract held in memory (tests and small files). */
export async function importExtract(m: EntityManager, council: string, ledgerId: string, x: ExtractContent): Promise<ImportCounts> {
  const imp = await CareImport.begin(m, council, ledgerId, x.header);
  for (const p of x.persons) await imp.addPerson(p);
  for (const p of x.payees) await imp.addPayee(p);
  for (const dp of x.directPayments) await imp.addDirectPayment(dp);
  return imp.finish();
}
