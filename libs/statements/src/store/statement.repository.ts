/**
 * The bank statement aggregate's SQL: bank_statement, bank_entry and their integrity findings.
 * Amounts come back from pg as strings and become bigint here.
 */
import type { EntityManager } from 'typeorm';
import { lockCouncil } from '@dpb/persistence';
import type { Statement, StatementEntry } from '../model';
import { bookedTotal, checkContinuity } from '../parsers/integrity';
import type { Decision, FindingDraft, StatementKind, StoredStatement } from './decide';
import type { SequenceKey } from './sequence';

/** Rows per INSERT for bank entries (unnest arrays): bounded memory and statement size. */
const ENTRY_CHUNK = 2000;

/** A stored statement as the judging of a newcomer needs it. */
export interface StatementRow {
  id: string;
  sequence: string | null;
  closing_minor: string | null;
  content_hash: string;
}
const toStored = (r: StatementRow | undefined): StoredStatement | null =>
  r ? { id: r.id, sequence: r.sequence, closing: r.closing_minor === null ? null : BigInt(r.closing_minor), contentHash: r.content_hash } : null;

const COLS = `id, sequence, closing_minor, content_hash`;

/** Serialises statements of one account across workers until the transaction ends. */
export async function lockAccount(m: EntityManager, council: string, account: string): Promise<void> {
  await lockCouncil(m, 'bank_statement', council, account);
}

export interface Neighbours {
  epoch: number;
  sameContent: StoredStatement | null;
  sameSequence: StoredStatement | null;
  predecessor: StoredStatement | null;
}

/**
 * The stored statements an incoming one is judged against: the same content, the same sequence
 * (in the current sequence epoch), and its predecessor: the highest lower sequence of the epoch,
 * else the latest stored statement of the account. DUPLICATE rows never count.
 */
export async function findNeighbours(
  m: EntityManager,
  a: { council: string; account: string; kind: StatementKind; contentHash: string; sequence: string | null; key: SequenceKey | null },
): Promise<Neighbours> {
  const base = `FROM bank_statement WHERE council = $1 AND account = $2 AND kind = $3 AND state <> 'DUPLICATE'`;
  const p = [a.council, a.account, a.kind];
  const same: StatementRow[] = await m.query(`SELECT ${COLS} ${base} AND content_hash = $4 ORDER BY id LIMIT 1`, [...p, a.contentHash]);
  const ep: { epoch: number | null }[] = await m.query(`SELECT max(seq_epoch) AS epoch ${base}`, p);
  const epoch = ep[0]?.epoch ?? 0;
  let sameSeq: StatementRow[] = [];
  let pred: StatementRow[] = [];
  if (a.key) {
    const k = [a.key.no.toString(), a.key.page?.toString() ?? null, epoch];
    sameSeq = await m.query(
      `SELECT ${COLS} ${base} AND seq_epoch = $6 AND seq_no = $4 AND seq_page IS NOT DISTINCT FROM $5::bigint ORDER BY id DESC LIMIT 1`,
      [...p, ...k],
    );
    pred = await m.query(
      `SELECT ${COLS} ${base} AND seq_epoch = $6 AND (seq_no, coalesce(seq_page, 0)) < ($4::bigint, coalesce($5::bigint, 0))
        ORDER BY seq_no DESC, coalesce(seq_page, 0) DESC, id DESC LIMIT 1`,
      [...p, ...k],
    );
  } else if (a.sequence !== null) {
    sameSeq = await m.query(`SELECT ${COLS} ${base} AND seq_epoch = $5 AND sequence = $4 ORDER BY id DESC LIMIT 1`, [...p, a.sequence, epoch]);
  }
  if (!pred.length) pred = await m.query(`SELECT ${COLS} ${base} ORDER BY id DESC LIMIT 1`, p);
  return { epoch, sameContent: toStored(same[0]), sameSequence: toStored(sameSeq[0]), predecessor: toStored(pred[0]) };
}

function bookingRange(entries: StatementEntry[]): [string | null, string | null] {
  let lo: string | null = null;
  let hi: string | null = null;
  for (const e of entries) {
    if (!e.bookingDate) continue;
    if (lo === null || e.bookingDate < lo) lo = e.bookingDate;
    if (hi === null || e.bookingDate > hi) hi = e.bookingDate;
  }
  return [lo, hi];
}

export async function insertStatement(
  m: EntityManager,
  a: {
    council: string; fileId: string; index: number; format: string; kind: StatementKind; statement: Statement;
    key: SequenceKey | null; epoch: number; contentHash: string; decision: Decision;
  },
): Promise<string> {
  const s = a.statement;
  const [first, last] = bookingRange(s.entries);
  const rows: { id: string }[] = await m.query(
    `INSERT INTO bank_statement (council, inbound_file_id, file_index, format, kind, account, currency, sequence, seq_no, seq_page,
       seq_epoch, opening_minor, closing_minor, entry_count, booked_total_minor, first_booking_date, last_booking_date,
       content_hash, state, duplicate_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
    [
      a.council, a.fileId, a.index, a.format, a.kind, s.account, s.currency.slice(0, 3), s.sequence, a.key?.no.toString() ?? null,
      a.key?.page?.toString() ?? null, a.epoch, s.openingBalanceMinor?.toString() ?? null, s.closingBalanceMinor?.toString() ?? null,
      s.entries.length, bookedTotal(s).toString(), first, last, a.contentHash, a.decision.state, a.decision.duplicateOf,
    ],
  );
  return rows[0].id;
}

/** Writes a statement's entries (line_no = 1-based position) in chunks. */
export async function insertEntries(m: EntityManager, statementId: string, council: string, entries: StatementEntry[]): Promise<void> {
  for (let from = 0; from < entries.length; from += ENTRY_CHUNK) {
    const chunk = entries.slice(from, from + ENTRY_CHUNK);
    const col = <T>(f: (e: StatementEntry) => T) => chunk.map(f);
    await m.query(
      `INSERT INTO bank_entry (statement_id, council, line_no, amount_minor, booking_date, value_date, status, reversal, reference,
         end_to_end_id, bank_tx_code, return_reason, entry_ref, counterparty, extra)
       SELECT $1, $2, t.* FROM unnest($3::int[], $4::bigint[], $5::date[], $6::date[], $7::text[], $8::boolean[], $9::text[],
         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::jsonb[]) AS t`,
      [
        statementId, council,
        chunk.map((_, i) => from + i + 1),
        col((e) => e.amountMinor.toString()),
        col((e) => e.bookingDate),
        col((e) => e.valueDate),
        col((e) => e.status),
        col((e) => e.reversal),
        col((e) => e.reference),
        col((e) => e.endToEndId),
        col((e) => e.extra?.bankTxCode ?? e.extra?.typeCode ?? null),
        col((e) => e.extra?.returnReason ?? null),
        col((e) => e.extra?.acctSvcrRef ?? e.extra?.bankReference ?? e.extra?.entryRef ?? null),
        col((e) => e.counterparty),
        col((e) => JSON.stringify(e.extra ?? {})),
      ],
    );
  }
}

export async function insertFindings(
  m: EntityManager,
  a: { council: string; source: 'bank' | 'card'; fileId: string; statementId: string | null; account: string | null; findings: FindingDraft[] },
): Promise<void> {
  for (const f of a.findings) {
    await m.query(
      `INSERT INTO integrity_finding (council, source, inbound_file_id, statement_id, account, code, blocking, detail, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [a.council, a.source, a.fileId, a.statementId, a.account, f.code, f.blocking, JSON.stringify(f.detail), f.code === 'STATEMENT_RESENT' ? 'RESOLVED' : 'OPEN'],
    );
  }
}

/**
 * A late statement may fill the gap in front of the next stored one: re-check that successor's
 * continuity against the newcomer; its SEQUENCE_GAP / BALANCE_DISCONTINUITY findings that no
 * longer hold are RESOLVED, and with no open blocking finding left it is POSTED.
 * Returns the successor's id when it was released.
 */
export async function recheckSuccessor(
  m: EntityManager,
  a: { council: string; account: string; statementId: string; statement: Statement; key: SequenceKey; epoch: number },
): Promise<string | null> {
  const rows: { id: string; sequence: string | null; opening_minor: string | null }[] = await m.query(
    `SELECT id, sequence, opening_minor FROM bank_statement
      WHERE council = $1 AND account = $2 AND kind = 'STATEMENT' AND state <> 'DUPLICATE' AND seq_epoch = $5
        AND (seq_no, coalesce(seq_page, 0)) > ($3::bigint, coalesce($4::bigint, 0)) AND id <> $6
      ORDER BY seq_no, coalesce(seq_page, 0), id LIMIT 1`,
    [a.council, a.account, a.key.no.toString(), a.key.page?.toString() ?? null, a.epoch, a.statementId],
  );
  const succ = rows[0];
  if (!succ) return null;
  const still = checkContinuity(
    { closing: a.statement.closingBalanceMinor, sequence: a.statement.sequence },
    { account: a.account, currency: '', sequence: succ.sequence, openingBalanceMinor: succ.opening_minor === null ? null : BigInt(succ.opening_minor), closingBalanceMinor: null, entries: [] },
  ).map((f) => f.code);
  const resolvable = ['SEQUENCE_GAP', 'BALANCE_DISCONTINUITY'].filter((c) => !still.includes(c as never));
  if (!resolvable.length) return null;
  await m.query(
    `UPDATE integrity_finding SET state = 'RESOLVED', resolved_by = $3, resolved_at = now()
      WHERE statement_id = $1 AND state = 'OPEN' AND code = ANY ($2)`,
    [succ.id, resolvable, `system: continuity restored by statement ${a.statementId}`],
  );
  const open: unknown[] = await m.query(
    `SELECT 1 FROM integrity_finding WHERE statement_id = $1 AND state = 'OPEN' AND blocking LIMIT 1`,
    [succ.id],
  );
  if (open.length) return null;
  await m.query(`UPDATE bank_statement SET state = 'POSTED' WHERE id = $1 AND state = 'HELD'`, [succ.id]);
  return succ.id;
}

/**
 * An officer accepts a finding (e.g. a gap the bank confirmed has no entries). When no open
 * blocking finding is left on the statement it is POSTED. Returns false if no such open finding.
 */
export async function acceptFinding(m: EntityManager, findingId: string, officer: string): Promise<boolean> {
  const rows: { statement_id: string | null }[] = await m.query(
    `WITH u AS (UPDATE integrity_finding SET state = 'ACCEPTED', resolved_by = $2, resolved_at = now()
       WHERE id = $1 AND state = 'OPEN' RETURNING statement_id) SELECT statement_id FROM u`,
    [findingId, officer],
  );
  if (!rows.length) return false;
  const sid = rows[0].statement_id;
  if (sid !== null) {
    await m.query(
      `UPDATE bank_statement SET state = 'POSTED' WHERE id = $1 AND state = 'HELD'
         AND NOT EXISTS (SELECT 1 FROM integrity_finding WHERE statement_id = $1 AND state = 'OPEN' AND blocking)`,
      [sid],
    );
  }
  return true;
}

/** The ids of a statement's entries at the given line numbers (1-based), by line number. */
export async function entryIdsByLine(m: EntityManager, statementId: string, lines: number[]): Promise<Map<number, string>> {
  const rows: { id: string; line_no: number }[] = await m.query(
    `SELECT id, line_no FROM bank_entry WHERE statement_id = $1 AND line_no = ANY ($2::int[])`,
    [statementId, lines],
  );
  return new Map(rows.map((r) => [Number(r.line_no), r.id]));
}

/** Open findings that hold statements back from posting, for the council. */
export async function countOpenBlockingFindings(m: EntityManager, council: string): Promise<number> {
  const rows: { n: number }[] = await m.query(
    `SELECT count(*)::int AS n FROM integrity_finding WHERE council = $1 AND state = 'OPEN' AND blocking`,
    [council],
  );
  return rows[0]?.n ?? 0;
}
