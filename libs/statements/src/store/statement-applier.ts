import type { EntityManager } from 'typeorm';
import { InputRejected, readAll, type ApplyInput, type ApplyResult, type InboundApplier, type Problem } from '@dpb/persistence';
import type { NormalisedFile, Statement } from '../model';
import { parseBai2 } from '../parsers/bai2/bai2-parser';
import { camtStatements } from '../parsers/camt/camt-parser';
import { detectFormat } from '../parsers/detect';
import { checkIntegrity } from '../parsers/integrity';
import type { ParserLimits } from '../parsers/limits';
import { parseMt940 } from '../parsers/mt940/mt940-parser';
import { isArucsHead, parseArucsCsv } from '../returns/arucs';
import { isReturnEntry, returnFromArucs, returnFromEntry } from '../returns/from-statement';
import { insertReturns } from '../returns/store';
import { decideStatement, type StatementKind } from './decide';
import { readHead, rejectingParseErrors } from './io';
import { sequenceKey, statementContentHash } from './sequence';
import { findNeighbours, insertEntries, insertFindings, insertStatement, lockAccount, recheckSuccessor } from './statement-store';

export interface StatementApplierOptions {
  /** Bytes read to detect the format. */
  headBytes?: number;
  /** Parser input limits (from `parserLimitsFromEnv`); the defaults of limits.ts otherwise. */
  limits?: Partial<ParserLimits>;
}

interface Tally {
  statements: number;
  posted: number;
  held: number;
  duplicates: number;
  entries: number;
  findings: number;
  released: number;
  returns: number;
}

/**
 * The bank inbox importer: camt.053 / camt.054 (streamed statement by statement), MT940 and BAI2
 * (read whole: they are small), and ARUCS-style returns files. Rules (docs/formats/statements.md):
 * - a statement whose opening + booked entries differs from its closing makes the FILE bad input:
 *   it is rejected (quarantined, nothing written) with every such statement named;
 * - continuity with the account's stored statements is judged by `decideStatement`: a gap, a
 *   repeated sequence with other content or a balance discontinuity stores the statement HELD
 *   (entries kept, not posted) with an OPEN blocking finding; an exact resend is DUPLICATE;
 * - booked ARET / reversal credits become `bacs_return` rows for matching.
 */
export function createStatementApplier(opts: StatementApplierOptions = {}): InboundApplier {
  return {
    source: 'bank',
    async apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
      const head = await readHead(await input.open(), opts.headBytes ?? 8192);
      if (isArucsHead(head)) return applyArucs(m, input);
      const format = detectFormat(head, input.name);
      if (format === 'cards-csv') throw new InputRejected(format, [{ rule: 'WRONG_INBOX', detail: 'a card transaction file in the bank inbox' }]);
      if (format === null || format === 'mosaic-xml' || format === 'mosaic-csv') {
        throw new InputRejected(format, [{ rule: 'UNKNOWN_FORMAT', detail: 'not a bank statement (camt.053/054, MT940, BAI2) or returns file' }]);
      }
      const t: Tally = { statements: 0, posted: 0, held: 0, duplicates: 0, entries: 0, findings: 0, released: 0, returns: 0 };
      const problems: Problem[] = [];
      const kind: StatementKind = format === 'camt.054' ? 'NOTIFICATION' : 'STATEMENT';
      const onStatement = async (s: Statement, index: number) => {
        const mismatch = kind === 'STATEMENT' ? checkIntegrity({ format, statements: [s] }) : [];
        if (mismatch.length) {
          problems.push({ recordType: 'statement', recordId: `statement ${index + 1}`, field: 'closingBalance', rule: 'BALANCE_MISMATCH' });
          return;
        }
        if (problems.length) return; // the file will be rejected: write nothing more
        await storeStatement(m, { council: input.council, fileId: input.ledgerId, format, kind, statement: s, index }, t);
      };
      let warnings: NormalisedFile['warnings'];
      await rejectingParseErrors(format, 'statement', async () => {
        if (format === 'camt.053' || format === 'camt.054') {
          const it = camtStatements(await input.open(), { limits: opts.limits });
          let i = 0;
          for (;;) {
            const r = await it.next();
            if (r.done) {
              warnings = r.value.warnings;
              break;
            }
            await onStatement(r.value, i++);
          }
        } else {
          const buf = await readAll(await input.open());
          const file = format === 'mt940' ? parseMt940(buf, { limits: opts.limits }) : parseBai2(buf, { limits: opts.limits });
          warnings = file.warnings;
          for (let i = 0; i < file.statements.length; i++) await onStatement(file.statements[i], i);
        }
      });
      if (problems.length) throw new InputRejected(format, problems);
      if (t.statements === 0) throw new InputRejected(format, [{ rule: 'NO_STATEMENTS' }]);
      const out: string[] = [];
      if (t.held) out.push(`${t.held} statement(s) held: continuity finding(s) to review`);
      if (t.duplicates) out.push(`${t.duplicates} statement(s) already stored (resent): not posted again`);
      if (t.released) out.push(`${t.released} held statement(s) released: gap filled`);
      const codes = new Map<string, number>();
      for (const w of warnings ?? []) codes.set(w.code, (codes.get(w.code) ?? 0) + 1);
      for (const [code, n] of codes) out.push(`${n} parser warning(s) ${code}`);
      return { format, records: t.entries, counts: { ...t }, warnings: out };
    },
  };
}

async function storeStatement(
  m: EntityManager,
  a: { council: string; fileId: string; format: string; kind: StatementKind; statement: Statement; index: number },
  t: Tally,
): Promise<void> {
  const s = a.statement;
  await lockAccount(m, a.council, s.account);
  const key = sequenceKey(s.sequence);
  const contentHash = statementContentHash(s);
  const n = await findNeighbours(m, { council: a.council, account: s.account, kind: a.kind, contentHash, sequence: s.sequence, key });
  const decision = decideStatement({ statement: s, kind: a.kind, sameContent: n.sameContent, sameSequence: n.sameSequence, predecessor: n.predecessor });
  const epoch = decision.findings.some((f) => f.code === 'SEQUENCE_RESTART') ? n.epoch + 1 : n.epoch;
  const id = await insertStatement(m, { council: a.council, fileId: a.fileId, index: a.index, format: a.format, kind: a.kind, statement: s, key, epoch, contentHash, decision });
  await insertFindings(m, { council: a.council, source: 'bank', fileId: a.fileId, statementId: id, account: s.account, findings: decision.findings });
  t.statements++;
  t.findings += decision.findings.length;
  if (decision.state === 'DUPLICATE') {
    t.duplicates++;
    return;
  }
  if (decision.state === 'HELD') t.held++;
  else t.posted++;
  await insertEntries(m, id, a.council, s.entries);
  t.entries += s.entries.length;
  if (a.kind === 'STATEMENT' && key && (await recheckSuccessor(m, { council: a.council, account: s.account, statementId: id, statement: s, key, epoch }))) {
    t.released++;
  }
  const returnLines: number[] = [];
  s.entries.forEach((e, i) => {
    if (isReturnEntry(e)) returnLines.push(i + 1);
  });
  if (returnLines.length) {
    const ids: { id: string; line_no: number }[] = await m.query(
      `SELECT id, line_no FROM bank_entry WHERE statement_id = $1 AND line_no = ANY ($2::int[])`,
      [id, returnLines],
    );
    const byLine = new Map(ids.map((r) => [Number(r.line_no), r.id]));
    t.returns += await insertReturns(m, {
      council: a.council,
      fileId: a.fileId,
      drafts: returnLines.map((line) => ({ draft: returnFromEntry(s.entries[line - 1], line), bankEntryId: byLine.get(line) ?? null })),
    });
  }
}

async function applyArucs(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
  const format = 'arucs-csv';
  const file = await rejectingParseErrors(format, 'return', async () => parseArucsCsv(await readAll(await input.open())));
  if (!file.items.length) throw new InputRejected(format, [{ rule: 'NO_RECORDS' }]);
  const inserted = await insertReturns(m, {
    council: input.council,
    fileId: input.ledgerId,
    drafts: file.items.map((i) => ({ draft: returnFromArucs(i), bankEntryId: null })),
  });
  const warnings: string[] = [];
  if (file.unknownReasonRows.length) warnings.push(`${file.unknownReasonRows.length} return(s) with a reason code outside 0,2,3,5,B,C`);
  if (inserted < file.items.length) warnings.push(`${file.items.length - inserted} return(s) already advised in an earlier file`);
  return { format, records: file.items.length, counts: { returns: file.items.length, returnsNew: inserted }, warnings };
}
