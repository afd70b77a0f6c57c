import type { EntityManager } from 'typeorm';
import { InputRejected, type ApplyInput, type ApplyResult, type InboundApplier } from '@dpb/persistence';
import { streamCardRowBatches } from '../parsers/cards/card-csv';
import type { CardCsvMapping, CardRowText } from '../parsers/cards/card-row';
import { detectFormat } from '../parsers/detect';
import { ParseError } from '../parsers/errors';
import type { ParserLimits } from '../parsers/limits';
import {
  buildCardWork, cardBalanceMismatches, closeCardStage, conflictingCardRows, copyCardStage, insertCardBalanceFindings, insertCardEvents, openCardStage,
  upsertCardTxns, type CardFileRef,
} from './card-ledger.repository';
import { cardFileName, copyField } from './copy-text';
import { problemOf, readHead } from './io';

/** Provider code (upper case, as in `cards_<provider>_...`) -> its header mapping. */
export type CardMappings = Record<string, CardCsvMapping | undefined>;

/** Bytes per COPY write: rows are batched so a 1,000,000-row file is not 1,000,000 stream writes. */
const COPY_BATCH_BYTES = 256 * 1024;

const N = '\\N';
/** One COPY text line (hot path for 1,000,000 rows: enums, digits and the validated timestamp need no escaping). */
function toCopy(t: CardRowText): string {
  return `${t.row}\t${copyField(t.txnId)}\t${copyField(t.accountRef)}\t${copyField(t.postedAt)}\t${t.postingDate}\t${t.type}\t${t.status}\t${t.amountMinor}\t${t.mcc ?? N}\t${copyField(t.merchant)}\t${copyField(t.reference)}\t${t.balanceMinor ?? N}\n`;
}

/**
 * COPYs the validated rows into `card_stage`, holding one batch of text at a time. A bad row ends
 * the stream cleanly (no half-aborted COPY on the connection) and is returned for rejection.
 */
async function copyRows(
  m: EntityManager,
  input: ApplyInput,
  mapping: CardCsvMapping | undefined,
  limits: Partial<ParserLimits> | undefined,
): Promise<{ rows: number; error: ParseError | null }> {
  let rows = 0;
  let error: ParseError | null = null;
  async function* batches(): AsyncGenerator<string> {
    let buf = '';
    try {
      for await (const batch of streamCardRowBatches(await input.open(), { ...(mapping ? { mapping } : {}), limits })) {
        for (const t of batch) buf += toCopy(t);
        rows += batch.length;
        if (buf.length >= COPY_BATCH_BYTES) {
          yield buf;
          buf = '';
        }
      }
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      error = e;
      return;
    }
    if (buf) yield buf;
  }
  await copyCardStage(m, batches());
  return { rows, error };
}

/**
 * The card inbox importer (docs/formats/statements.md, "Card files"). The file name gives the
 * provider and the file date (`cards_<provider>_<YYYYMMDD>.csv`); the provider's header mapping comes from council
 * settings (`cardFiles.<PROVIDER>.mapping`). Rows are streamed into a TEMP staging table by COPY
 * on the intake transaction's connection, then set-based SQL dedupes them: one `card_txn` per
 * (council, provider, txn_id), the later status wins, an older file never rolls one back, every
 * version of a txn that changed is kept in `card_txn_event`, declined items are kept. Running-balance disagreements
 * become non-blocking `CARD_RUNNING_BALANCE` findings (one per account).
 */
export function createCardApplier(mappings: CardMappings = {}, opts: { limits?: Partial<ParserLimits> } = {}): InboundApplier {
  return {
    source: 'card',
    async apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
      const named = cardFileName(input.name);
      if (!named) throw new InputRejected(null, [{ rule: 'CARD_FILE_NAME', detail: 'name must be cards_<provider>_<YYYYMMDD>.csv' }]);
      const format = 'cards-csv';
      const detected = detectFormat(await readHead(await input.open(), 8192), input.name);
      if (detected !== 'cards-csv') throw new InputRejected(detected, [{ rule: 'WRONG_INBOX', detail: 'not a card transaction file' }]);
      const { provider, fileDate } = named;
      const ms: Record<string, number> = {};
      let lap = process.hrtime.bigint();
      const mark = (k: string) => {
        const now = process.hrtime.bigint();
        ms[k] = Number((now - lap) / 1_000_000n);
        lap = now;
      };
      const file: CardFileRef = { council: input.council, provider, fileId: input.ledgerId, fileDate };
      await openCardStage(m, input.council, provider);
      const copied = await copyRows(m, input, mappings[provider], opts.limits);
      mark('msCopy');
      if (copied.error) throw new InputRejected(format, [problemOf(copied.error, 'card')]);
      if (copied.rows === 0) throw new InputRejected(format, [{ rule: 'NO_RECORDS' }]);
      await buildCardWork(m, input.council, provider);
      mark('msDedupe');
      const conflicts = await conflictingCardRows(m);
      if (conflicts.length) {
        throw new InputRejected(
          format,
          conflicts.map((c) => ({ recordType: 'card', recordId: `row ${c.row_no}`, field: 'account_ref', rule: 'CONFLICTING_ROW' })),
        );
      }
      const mismatches = await cardBalanceMismatches(m);
      await insertCardBalanceFindings(m, file, mismatches);
      mark('msChecks');
      const events = await insertCardEvents(m, file);
      mark('msEvents');
      const { updated, inserted } = await upsertCardTxns(m, file);
      mark('msUpsert');
      const counted = await closeCardStage(m);
      const warnings: string[] = [];
      if (mismatches.length) warnings.push(`running balance disagrees with balance_minor on ${mismatches.length} card account(s)`);
      return {
        format,
        records: copied.rows,
        counts: {
          rows: copied.rows,
          inFileRepeats: copied.rows - counted,
          inserted,
          updated,
          events,
          balanceFindings: mismatches.length,
          ...ms,
        },
        warnings,
      };
    },
  };
}
