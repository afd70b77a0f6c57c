/**
 * The care records' SQL (care_extract, person, payee, direct_payment, care_version).
 *
 * The set-based steps of a care-record import, run on the intake transaction's own connection.
 * Validated records are COPYed into TEMP staging tables (dropped at commit or rollback), then one
 * statement per kind compares them with the current rows and writes only new or changed records,
 * with a `care_version` row each naming the changed fields. Parameters: $1 council, $2 extract_ref.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { ExtractHeader } from '../model';
import { DP_COLUMNS, PAYEE_COLUMNS, PERSON_COLUMNS } from './copy-rows';

const CREATE_STAGES = [
  `CREATE TEMP TABLE care_stage_person (
     person_id text NOT NULL, nhs_number text, nhs_valid boolean NOT NULL, restricted boolean NOT NULL,
     date_of_birth date, date_of_death date, title text, first_name text, last_name text,
     address_line1 text, town text, postcode text
   ) ON COMMIT DROP`,
  `CREATE TEMP TABLE care_stage_payee (
     payee_id text NOT NULL, vendor_no text, account_type text NOT NULL, sort_code text,
     account_number text, account_name text, modulus_valid boolean, card_provider text,
     card_account_ref text, bank_hash text
   ) ON COMMIT DROP`,
  `CREATE TEMP TABLE care_stage_dp (
     dp_id text NOT NULL, person_id text NOT NULL, payee_id text NOT NULL, recipient_role text NOT NULL,
     frequency text NOT NULL, basis text NOT NULL, funding_stream text NOT NULL, cost_centre text NOT NULL,
     gl_account text NOT NULL, start_date date NOT NULL, end_date date, last_review_date date,
     cash_allowed boolean NOT NULL, terms jsonb NOT NULL
   ) ON COMMIT DROP`,
];

/** DPs whose person or payee had not appeared yet when they were read: merged at the end. */
const CREATE_LATE_AND_SEEN = [
  `CREATE TEMP TABLE care_stage_dp_late (LIKE care_stage_dp) ON COMMIT DROP`,
  /** Every DP id in the extract (for the FULL "missing" rule), filled as DP batches merge. */
  `CREATE TEMP TABLE care_seen_dp (dp_id text NOT NULL) ON COMMIT DROP`,
];

const DROP_STAGES = `DROP TABLE IF EXISTS pg_temp.care_stage_person, pg_temp.care_stage_payee, pg_temp.care_stage_dp,
  pg_temp.care_stage_dp_late, pg_temp.care_seen_dp`;

export type StageKind = 'person' | 'payee' | 'dp' | 'dpLate';

const COPY_INTO: Record<StageKind, string> = {
  person: `COPY care_stage_person (${PERSON_COLUMNS.join(', ')}) FROM STDIN`,
  payee: `COPY care_stage_payee (${PAYEE_COLUMNS.join(', ')}) FROM STDIN`,
  dp: `COPY care_stage_dp (${DP_COLUMNS.join(', ')}) FROM STDIN`,
  dpLate: `COPY care_stage_dp_late (${DP_COLUMNS.join(', ')}) FROM STDIN`,
};

/** The parts of a DP's terms document, each named `terms.<part>` in `changed` when it differs. */
const TERMS_PARTS = ['rates', 'contributions', 'suspensions', 'oneOffs', 'splits'] as const;

interface KindSpec {
  kind: 'PERSON' | 'PAYEE' | 'DP';
  table: 'person' | 'payee' | 'direct_payment';
  stage: string;
  id: string;
  columns: readonly string[];
}

const SPECS: Record<StageKind, KindSpec> = {
  person: { kind: 'PERSON', table: 'person', stage: 'care_stage_person', id: 'person_id', columns: PERSON_COLUMNS },
  payee: { kind: 'PAYEE', table: 'payee', stage: 'care_stage_payee', id: 'payee_id', columns: PAYEE_COLUMNS },
  dp: { kind: 'DP', table: 'direct_payment', stage: 'care_stage_dp', id: 'dp_id', columns: DP_COLUMNS },
  dpLate: { kind: 'DP', table: 'direct_payment', stage: 'care_stage_dp_late', id: 'dp_id', columns: DP_COLUMNS },
};

/** SQL array of the names of the fields that differ between staged `s` and current `c`. */
function changedExpr(spec: KindSpec): string {
  const tests: string[] = [];
  for (const col of spec.columns) {
    if (col === spec.id) continue;
    if (col === 'terms') {
      for (const part of TERMS_PARTS) {
        tests.push(`CASE WHEN s.terms->'${part}' IS DISTINCT FROM c.terms->'${part}' THEN 'terms.${part}' END`);
      }
    } else {
      tests.push(`CASE WHEN s.${col} IS DISTINCT FROM c.${col} THEN '${col}' END`);
    }
  }
  return `CASE WHEN c.${spec.id} IS NULL THEN ARRAY['*']::text[] ELSE array_remove(ARRAY[${tests.join(', ')}]::text[], NULL) END`;
}

/**
 * Upserts one kind from its staging table (one batch) and writes its history, in one statement;
 * DP ids are remembered in care_seen_dp. Returns one row {added, changed, unchanged}. Unchanged
 * records are not touched at all (no write, no version). The caller empties the staging table. `content` of a version row is the record as written (the staged columns as jsonb).
 */
function mergeSql(kind: StageKind): string {
  const spec = SPECS[kind];
  const cols = spec.columns;
  const isDp = spec.kind === 'DP';
  const extra = isDp ? ', content_hash' : '';
  const hash = isDp ? `, encode(sha256(convert_to(w.content::text, 'UTF8')), 'hex')` : '';
  const updates = [...cols.filter((c) => c !== spec.id), ...(isDp ? ['content_hash'] : []), 'version', 'extract_ref']
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  return `
    WITH d AS (
      SELECT s.*, c.version AS prev_version, ${changedExpr(spec)} AS changed
        FROM ${spec.stage} s
        LEFT JOIN ${spec.table} c ON c.council = $1 AND c.${spec.id} = s.${spec.id}
    ), w AS (
      SELECT d.*, to_jsonb(d) - 'prev_version' - 'changed' AS content FROM d WHERE cardinality(d.changed) > 0
    ), up AS (
      INSERT INTO ${spec.table} (council, ${cols.join(', ')}${extra}, version, extract_ref)
      SELECT $1, ${cols.map((c) => `w.${c}`).join(', ')}${hash}, coalesce(w.prev_version, 0) + 1, $2 FROM w
      ON CONFLICT (council, ${spec.id}) DO UPDATE SET ${updates}
      RETURNING 1
    )${spec.kind === 'DP' ? `, seen AS (INSERT INTO care_seen_dp (dp_id) SELECT dp_id FROM ${spec.stage})` : ''}, hist AS (
      INSERT INTO care_version (council, kind, record_id, version, extract_ref, changed, content)
      SELECT $1, '${spec.kind}', w.${spec.id}, coalesce(w.prev_version, 0) + 1, $2, w.changed, w.content FROM w
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM d WHERE prev_version IS NULL)::int AS added,
           (SELECT count(*) FROM d WHERE prev_version IS NOT NULL AND cardinality(changed) > 0)::int AS changed,
           (SELECT count(*) FROM d WHERE cardinality(changed) = 0)::int AS unchanged,
           (SELECT count(*) FROM up)::int AS written,
           (SELECT count(*) FROM hist)::int AS versions`;
}

/**
 * A changed bank account (not a first appearance) marks the payee for the bank-change hold, and
 * lifts a Bacs return's block (the block was on the old details; the new ones are held anyway
 * until an officer releases the bank-change hold).
 */
const MARK_BANK_CHANGED = `
  WITH u AS (
    UPDATE payee p SET bank_changed_ref = $2, bacs_return_blocked = false
      FROM care_version v
     WHERE v.extract_ref = $2 AND v.council = $1 AND v.kind = 'PAYEE' AND v.version > 1
       AND 'bank_hash' = ANY (v.changed) AND p.council = v.council AND p.payee_id = v.record_id
    RETURNING 1)
  SELECT count(*)::int AS n FROM u`;

/** A DP present in this extract (FULL or DELTA) is no longer missing. */
const CLEAR_MISSING = `
  UPDATE direct_payment d SET missing_from_full = false
   WHERE d.council = $1 AND d.missing_from_full
     AND EXISTS (SELECT 1 FROM care_seen_dp s WHERE s.dp_id = d.dp_id)`;

/**
 * FULL extracts only: a DP not in the file and not past its end on the extract date ($2) is
 * flagged for an officer (its payments are held); it is never ended here.
 */
const FLAG_MISSING = `
  WITH u AS (
    UPDATE direct_payment d SET missing_from_full = true
     WHERE d.council = $1 AND NOT d.missing_from_full
       AND (d.end_date IS NULL OR d.end_date >= $2::date)
       AND NOT EXISTS (SELECT 1 FROM care_seen_dp s WHERE s.dp_id = d.dp_id)
    RETURNING 1)
  SELECT count(*)::int AS n FROM u`;

/** What one batch's merge did per record. */
export interface MergeCounts {
  added: number;
  changed: number;
  unchanged: number;
}

const STAGE_TABLE: Record<StageKind, string> = {
  person: 'care_stage_person',
  payee: 'care_stage_payee',
  dp: 'care_stage_dp',
  dpLate: 'care_stage_dp_late',
};

/** True when the council's last applied extract was generated after `generatedAt`. */
export async function lastExtractIsLater(m: EntityManager, council: string, generatedAt: string): Promise<boolean> {
  const last: { later: boolean }[] = await m.query(
    `SELECT generated_at > $2::timestamptz AS later FROM care_extract WHERE council = $1 ORDER BY generated_at DESC LIMIT 1`,
    [council, generatedAt],
  );
  return last[0]?.later === true;
}

export async function extractApplied(m: EntityManager, council: string, extractId: string): Promise<boolean> {
  const dup: unknown[] = await m.query(`SELECT 1 FROM care_extract WHERE council = $1 AND extract_id = $2`, [council, extractId]);
  return dup.length > 0;
}

/** Records the extract (counts 0 until `setExtractCounts`); returns its extract_ref. */
export async function insertCareExtract(m: EntityManager, council: string, ledgerId: string, header: ExtractHeader): Promise<string> {
  const [{ id }]: { id: string }[] = await m.query(
    `INSERT INTO care_extract (council, extract_id, kind, generated_at, extract_date, inbound_file_id, persons, payees, direct_payments)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0) RETURNING id`,
    [council, header.extractId, header.kind, header.generatedAt, header.extractDate, ledgerId],
  );
  return id;
}

export async function setExtractCounts(m: EntityManager, extractRef: string, persons: number, payees: number, directPayments: number): Promise<void> {
  await m.query(`UPDATE care_extract SET persons = $2, payees = $3, direct_payments = $4 WHERE id = $1`, [extractRef, persons, payees, directPayments]);
}

/** Fresh TEMP staging tables for this transaction. */
export async function createStages(m: EntityManager): Promise<void> {
  await m.query(DROP_STAGES);
  for (const sql of [...CREATE_STAGES, ...CREATE_LATE_AND_SEEN]) await m.query(sql);
}

export async function dropStages(m: EntityManager): Promise<void> {
  await m.query(DROP_STAGES);
}

/** One batch: COPY text into its staging table (on `conn`, the transaction's own connection), merge, empty the stage. */
export async function copyAndMergeStage(
  m: EntityManager, conn: ClientBase, kind: StageKind, council: string, extractRef: string, text: string,
): Promise<MergeCounts> {
  const stream = conn.query(copyFrom(COPY_INTO[kind])) as unknown as NodeJS.WritableStream;
  await pipeline(Readable.from([text]), stream);
  const [r]: MergeCounts[] = await m.query(mergeSql(kind), [council, extractRef]);
  await m.query(`TRUNCATE ${STAGE_TABLE[kind]}`);
  return r;
}

/** Marks payees whose bank account this extract changed; returns how many. */
export async function markBankChanged(m: EntityManager, council: string, extractRef: string): Promise<number> {
  const [bank]: { n: number }[] = await m.query(MARK_BANK_CHANGED, [council, extractRef]);
  return bank.n;
}

/** Clears `missing_from_full` on DPs seen in this extract; for a FULL one (`fullExtractDate`), flags the DPs not in it. Returns how many were flagged. */
export async function refreshMissingFromFull(m: EntityManager, council: string, fullExtractDate: string | null): Promise<number> {
  await m.query(`ANALYZE care_seen_dp`);
  await m.query(CLEAR_MISSING, [council]);
  if (fullExtractDate === null) return 0;
  const [flagged]: { n: number }[] = await m.query(FLAG_MISSING, [council, fullExtractDate]);
  return flagged.n;
}

/** Refreshes the planner's statistics of the care-record tables. */
export async function analyzeCareRecords(m: EntityManager): Promise<void> {
  await m.query(`SELECT analyze_care_records()`);
}
