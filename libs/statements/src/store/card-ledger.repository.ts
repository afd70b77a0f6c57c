import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { lockCouncil, transactionClient } from '@dpb/persistence';

/**
 * The card ledger's SQL (card_txn, card_txn_event, the card file's integrity findings).
 *
 * The set-based steps of a card file import, on the transaction's own connection. `card_stage`
 * holds the file's rows as COPYed; `card_work` the rows that count: exact repeats of an earlier row
 * of the same txn_id in the file dropped. $1 council, $2 provider.
 */
const CREATE_STAGE = `
  CREATE TEMP TABLE card_stage (
    row_no int NOT NULL, txn_id text COLLATE "C" NOT NULL, account_ref text COLLATE "C" NOT NULL, posted_at timestamptz NOT NULL,
    posting_date date NOT NULL, type text NOT NULL, status text NOT NULL, amount_minor bigint NOT NULL,
    mcc text, merchant text, reference text, balance_minor bigint
  ) ON COMMIT DROP`;

const COPY_STAGE = `COPY card_stage (row_no, txn_id, account_ref, posted_at, posting_date, type, status, amount_minor,
  mcc, merchant, reference, balance_minor) FROM STDIN`;

/** A card row's content (everything but txn_id and file position), for "same content" tests. */
const CONTENT = (t: string) =>
  `(${t}.account_ref, ${t}.posted_at, ${t}.type, ${t}.status, ${t}.amount_minor, ${t}.mcc, ${t}.merchant, ${t}.reference, ${t}.balance_minor)`;

/**
 * `card_work`: the rows that count, each with the previous row of its txn (file order), whether
 * it is the txn's last row, and the stored txn (`c_*`, null for a new txn) read ONCE here, before
 * anything is written. No later statement reads `card_txn` or `card_txn_event` while writing to
 * it: a self-referencing anti-join planned against a table whose statistics say "empty" (a first
 * import, or after a purge) can turn into a nested loop over the rows being inserted, which took
 * over an hour for 1,000,000 rows.
 */
const CREATE_WORK = `
  CREATE TEMP TABLE card_work (
    row_no int NOT NULL, txn_id text COLLATE "C" NOT NULL, account_ref text COLLATE "C" NOT NULL, posted_at timestamptz NOT NULL,
    posting_date date NOT NULL, type text NOT NULL, status text NOT NULL, amount_minor bigint NOT NULL,
    mcc text, merchant text, reference text, balance_minor bigint,
    prev_status text, prev_amount bigint, prev_account text, is_last boolean NOT NULL, versions bigint NOT NULL,
    stored boolean NOT NULL, c_account text, c_status text, c_amount bigint, c_balance bigint, c_posted_at timestamptz,
    c_file_id bigint, c_file_date date, c_row int, has_history boolean,
    differs boolean NOT NULL, last_differs boolean NOT NULL
  ) ON COMMIT DROP`;

/** Fills card_work (one pass over card_stage joined once to the store). $1 council, $2 provider. */
const FILL_WORK = `
  INSERT INTO card_work
  WITH nd AS (
    SELECT s.*, row_number() OVER (PARTITION BY s.txn_id, s.account_ref, s.posted_at, s.type, s.status, s.amount_minor, s.mcc,
                                                s.merchant, s.reference, s.balance_minor ORDER BY s.row_no) AS copy_no
      FROM card_stage s),
  j AS (
    SELECT nd.*, c.txn_id IS NOT NULL AS stored, c.account_ref AS c_account, c.status AS c_status, c.amount_minor AS c_amount,
           c.balance_minor AS c_balance, c.posted_at AS c_posted_at, c.last_file_id AS c_file_id, c.last_file_date AS c_file_date,
           c.last_row AS c_row,
           CASE WHEN c.txn_id IS NOT NULL
                THEN EXISTS (SELECT 1 FROM card_txn_event e WHERE e.council = $1 AND e.provider = $2 AND e.txn_id = c.txn_id) END AS has_history,
           (c.txn_id IS NOT NULL AND ${CONTENT('nd')} IS DISTINCT FROM ${CONTENT('c')}) AS differs
      FROM nd
      LEFT JOIN card_txn c ON c.council = $1 AND c.provider = $2 AND c.txn_id = nd.txn_id
     WHERE nd.copy_no = 1)
  SELECT j.row_no, j.txn_id, j.account_ref, j.posted_at, j.posting_date, j.type, j.status, j.amount_minor, j.mcc,
         j.merchant, j.reference, j.balance_minor,
         lag(j.status) OVER t, lag(j.amount_minor) OVER t, lag(j.account_ref) OVER t,
         (lead(j.row_no) OVER t) IS NULL,
         count(*) OVER a,
         j.stored, j.c_account, j.c_status, j.c_amount, j.c_balance, j.c_posted_at, j.c_file_id, j.c_file_date, j.c_row, j.has_history,
         j.differs,
         last_value(j.differs) OVER a
    FROM j
  WINDOW t AS (PARTITION BY j.txn_id ORDER BY j.row_no),
         a AS (PARTITION BY j.txn_id ORDER BY j.row_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;

/** Rows whose txn_id is already known on another card account (in this file or stored). */
const CONFLICTS = `
  SELECT w.row_no FROM card_work w
   WHERE w.prev_account <> w.account_ref OR w.c_account <> w.account_ref
   ORDER BY w.row_no LIMIT 20`;

/**
 * Running balance per account in file order: only SETTLED items move it (a re-settled item by the
 * difference); a REVERSED item moves it back by its settled amount (from the file, else from the
 * store), unknown when it was never seen settled. Each given balance_minor is compared with the
 * previous given balance plus the movements since (docs/formats/statements.md; same rule as the parser).
 */
const BALANCE_MISMATCHES = `
  WITH mv AS (
    SELECT w.row_no, w.account_ref, w.balance_minor,
      CASE w.status
        WHEN 'SETTLED' THEN w.amount_minor - CASE WHEN w.prev_status = 'SETTLED' THEN w.prev_amount ELSE 0 END
        WHEN 'REVERSED' THEN CASE WHEN w.prev_status = 'SETTLED' THEN -w.prev_amount
                                  WHEN w.prev_status IS NULL AND w.c_status = 'SETTLED' THEN -w.c_amount END
        ELSE 0 END AS movement
      FROM card_work w),
  b AS (SELECT mv.*, count(mv.balance_minor) OVER (PARTITION BY mv.account_ref ORDER BY mv.row_no) AS seg FROM mv),
  segs AS (
    SELECT account_ref, seg, max(balance_minor) AS anchor,
           sum(movement) FILTER (WHERE balance_minor IS NULL) AS moved,
           bool_or(balance_minor IS NULL AND movement IS NULL) AS undetermined
      FROM b WHERE seg > 0 GROUP BY account_ref, seg)
  SELECT b.account_ref, count(*)::int AS rows, (array_agg(b.row_no ORDER BY b.row_no))[1:10] AS sample_rows
    FROM b JOIN segs p ON p.account_ref = b.account_ref AND p.seg = b.seg - 1
   WHERE b.balance_minor IS NOT NULL AND b.movement IS NOT NULL AND NOT p.undetermined
     AND p.anchor + coalesce(p.moved, 0) + b.movement <> b.balance_minor
   GROUP BY b.account_ref ORDER BY b.account_ref`;

/** A stored txn this file changes: its last row differs and the file is not older than the one that set it ($4 file date). */
const CHANGES = `w.stored AND w.c_file_date <= $4::date AND w.last_differs`;

/**
 * Status history, kept only for txns with more than one version (a txn seen once is its own
 * history in card_txn). When this file changes a stored txn, the stored version is recorded
 * first if the txn has no history yet ($3 file id, $4 file date)...
 */
const INSERT_PRIOR_VERSIONS = `
  INSERT INTO card_txn_event (council, provider, txn_id, inbound_file_id, row_no, status, amount_minor, balance_minor, posted_at)
  SELECT $1, $2, w.txn_id, w.c_file_id, w.c_row, w.c_status, w.c_amount, w.c_balance, w.c_posted_at
    FROM card_work w
   WHERE $3::bigint IS NOT NULL AND w.is_last AND ${CHANGES} AND NOT w.has_history`;

/** ...then every counted row of the file that is a new version: of a changed txn, or of a new txn with several rows. */
const INSERT_EVENTS = `
  INSERT INTO card_txn_event (council, provider, txn_id, inbound_file_id, row_no, status, amount_minor, balance_minor, posted_at)
  SELECT $1, $2, w.txn_id, $3, w.row_no, w.status, w.amount_minor, w.balance_minor, w.posted_at
    FROM card_work w
   WHERE (NOT w.stored AND w.versions > 1) OR (${CHANGES} AND w.differs)`;

/**
 * One row per txn_id: a stored txn is updated when this file's last row for it differs from the
 * stored content and the file is not older than the one that last set it (an older file arriving
 * late never rolls a status back); new txns are inserted. Plain UPDATE then INSERT (no ON
 * CONFLICT: the importer holds the (council, provider) lock, so the store cannot change between
 * card_work and these writes, and a plain insert is much cheaper on 1,000,000 rows). $3 file id,
 * $4 file date.
 */
const UPDATE_CHANGED = `
  WITH u AS (
    UPDATE card_txn c SET
      account_ref = w.account_ref, posted_at = w.posted_at, posting_date = w.posting_date, type = w.type, status = w.status,
      amount_minor = w.amount_minor, mcc = w.mcc, merchant = w.merchant, reference = w.reference, balance_minor = w.balance_minor,
      last_file_id = $3, last_file_date = $4::date, last_row = w.row_no, updated_at = now()
      FROM card_work w
     WHERE w.is_last AND ${CHANGES} AND c.council = $1 AND c.provider = $2 AND c.txn_id = w.txn_id
    RETURNING 1)
  SELECT count(*)::int AS n FROM u`;

const INSERT_NEW = `
  WITH i AS (
    INSERT INTO card_txn (council, provider, txn_id, account_ref, posted_at, posting_date, type, status, amount_minor, mcc,
                          merchant, reference, balance_minor, first_file_id, last_file_id, last_file_date, last_row)
    SELECT $1, $2, w.txn_id, w.account_ref, w.posted_at, w.posting_date, w.type, w.status, w.amount_minor, w.mcc, w.merchant,
           w.reference, w.balance_minor, $3, $3, $4::date, w.row_no
      FROM card_work w
     WHERE w.is_last AND NOT w.stored
    RETURNING 1)
  SELECT count(*)::int AS n FROM i`;

/** A card file being applied: $1 council, $2 provider, $3 inbound file, $4 file date. */
export interface CardFileRef {
  council: string;
  provider: string;
  fileId: string;
  fileDate: string;
}

/** A row whose txn_id is already known on another card account. */
export interface ConflictingCardRow {
  row_no: number;
}

/** A card account whose running balance disagrees with the rows' balance_minor. */
export interface CardBalanceMismatchRow {
  account_ref: string;
  rows: number;
  sample_rows: number[];
}

/** Serialises card files of one council and provider, and creates an empty `card_stage` for this transaction. */
export async function openCardStage(m: EntityManager, council: string, provider: string): Promise<void> {
  await lockCouncil(m, 'card_txn', council, provider);
  await m.query(`DROP TABLE IF EXISTS pg_temp.card_stage, pg_temp.card_work`);
  // Sorts and hashes over a large file stay in memory for this transaction only.
  await m.query(`SET LOCAL work_mem = '256MB'`);
  await m.query(CREATE_STAGE);
}

/** COPYs chunks of COPY text lines into `card_stage` on the transaction's own connection. */
export async function copyCardStage(m: EntityManager, chunks: AsyncIterable<string>): Promise<void> {
  const copy = transactionClient(m).query(copyFrom(COPY_STAGE)) as unknown as NodeJS.WritableStream;
  await pipeline(Readable.from(chunks), copy);
}

/** Builds `card_work` from the staged rows and the store (exact in-file repeats dropped). */
export async function buildCardWork(m: EntityManager, council: string, provider: string): Promise<void> {
  await m.query(`ANALYZE card_stage`);
  await m.query(CREATE_WORK);
  await m.query(FILL_WORK, [council, provider]);
  await m.query(`ANALYZE card_work`);
}

export async function conflictingCardRows(m: EntityManager): Promise<ConflictingCardRow[]> {
  return m.query(CONFLICTS);
}

export async function cardBalanceMismatches(m: EntityManager): Promise<CardBalanceMismatchRow[]> {
  return m.query(BALANCE_MISMATCHES);
}

/** Non-blocking CARD_RUNNING_BALANCE findings, one per card account of the file whose balances disagree (one statement). */
export async function insertCardBalanceFindings(m: EntityManager, f: CardFileRef, mismatches: readonly CardBalanceMismatchRow[]): Promise<void> {
  if (!mismatches.length) return;
  await m.query(
    `INSERT INTO integrity_finding (council, source, inbound_file_id, account, code, blocking, detail)
     SELECT $1, 'card', $2, u.account, 'CARD_RUNNING_BALANCE', false, u.detail::jsonb
       FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(account, detail, n) ORDER BY u.n`,
    [
      f.council,
      f.fileId,
      mismatches.map((mm) => mm.account_ref),
      mismatches.map((mm) => JSON.stringify({ provider: f.provider, rows: mm.rows, sampleRows: mm.sample_rows })),
    ],
  );
}

const fileParams = (f: CardFileRef): string[] => [f.council, f.provider, f.fileId, f.fileDate];

/** Keeps the stored version of every txn the file changes, then each new version in the file; returns the events written. */
export async function insertCardEvents(m: EntityManager, f: CardFileRef): Promise<number> {
  const fp = fileParams(f);
  const prior: { n: number }[] = await m.query(`WITH e AS (${INSERT_PRIOR_VERSIONS} RETURNING 1) SELECT count(*)::int AS n FROM e`, fp);
  const ev: { n: number }[] = await m.query(`WITH e AS (${INSERT_EVENTS} RETURNING 1) SELECT count(*)::int AS n FROM e`, fp);
  return (prior[0]?.n ?? 0) + (ev[0]?.n ?? 0);
}

/** Updates the txns the file changes and inserts the new ones. */
export async function upsertCardTxns(m: EntityManager, f: CardFileRef): Promise<{ updated: number; inserted: number }> {
  const fp = fileParams(f);
  const upd: { n: number }[] = await m.query(UPDATE_CHANGED, fp);
  const ins: { n: number }[] = await m.query(INSERT_NEW, fp);
  return { updated: upd[0]?.n ?? 0, inserted: ins[0]?.n ?? 0 };
}

/** Drops the file's temp tables; returns how many rows counted (after in-file repeats). */
export async function closeCardStage(m: EntityManager): Promise<number> {
  const counted: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM card_work`);
  await m.query(`DROP TABLE pg_temp.card_stage, pg_temp.card_work`);
  return counted[0]?.n ?? 0;
}
