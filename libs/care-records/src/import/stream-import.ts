/**
 * Read -> validate -> stage in one pass over the file: records go to the database in COPY
 * batches as they are validated, so a 200,000-DP extract never sits in memory. The file can
 * still fail at its end (trailer counts or total, references): the caller then rejects it and
 * its transaction rolls everything back, staging included.
 */
import type { EntityManager } from 'typeorm';
import type { RawRecord } from '../readers/raw';
import type { ReaderLimits } from '../readers/limits';
import { ExtractValidator, type ValidationSummary, type ValidatorOptions } from '../validation/validator';
import { CareImport, type ImportCounts } from './importer';

export interface StreamImportOptions extends ValidatorOptions {
  /** Records per write batch (tests use a small one to cross batch boundaries). */
  batchRows?: number;
  /** Receives the elapsed milliseconds of each phase (read+validate+stage, merge). */
  onTimings?: (ms: Record<string, number>) => void;
  /** Reader limits (zip, XML, CSV); defaults: DEFAULT_READER_LIMITS. */
  limits?: Partial<ReaderLimits>;
}

export interface StreamImportResult {
  /** The validator's verdict; `ok: false` means nothing may be kept (the caller rolls back). */
  summary: ValidationSummary;
  /** Set only when the extract was valid and has been merged. */
  counts: ImportCounts | null;
}

/**
 * Validates every raw record and stages the valid ones; merges when the whole file passed.
 * Throws ExtractOrderError as soon as the header shows the extract may not be applied
 * (another council's, older than the last applied, or its id already applied).
 */
export async function importRawStream(
  m: EntityManager,
  council: string,
  ledgerId: string,
  raw: AsyncIterable<RawRecord>,
  options: StreamImportOptions = {},
  signal?: AbortSignal,
): Promise<StreamImportResult> {
  const t0 = process.hrtime.bigint();
  const validator = new ExtractValidator(options);
  let imp: CareImport | null = null;
  for await (const r of raw) {
    signal?.throwIfAborted();
    const rec = validator.accept(r);
    // Once any rule is broken the file will be rejected: keep validating (to report every
    // problem) but stop sending rows to the database.
    if (!rec || validator.errors.length > 0) continue;
    switch (rec.type) {
      case 'header':
        imp = await CareImport.begin(m, council, ledgerId, rec.header, options.batchRows);
        break;
      case 'person':
        await imp?.addPerson(rec.person);
        break;
      case 'payee':
        await imp?.addPayee(rec.payee);
        break;
      case 'directPayment':
        await imp?.addDirectPayment(rec.directPayment, validator.hasRead('Person', rec.directPayment.personId) && validator.hasRead('Payee', rec.directPayment.payeeId));
        break;
      case 'trailer':
        break;
    }
  }
  const summary = validator.finish();
  if (!summary.ok || !summary.header || !imp) return { summary: { ...summary, ok: summary.ok && imp !== null }, counts: null };
  const t1 = process.hrtime.bigint();
  const counts = await imp.finish(options.onTimings ? (ms) => options.onTimings!({ readValidateWrite: Number((t1 - t0) / 1_000_000n), ...ms }) : undefined);
  return { summary, counts };
}
