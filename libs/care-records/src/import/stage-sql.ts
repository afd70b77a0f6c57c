/**
 * The set-based steps of a care-record import, run on the intake transaction's own connection.
 * Validated records are COPYed into TEMP staging tables (dropped at commit or rollback), then one
 * statement per kind compares them with the current rows and writes only new or changed records,
 * with a `care_version` row each naming the changed fields. Parameters: $1 council, $2 extract_ref.
 */
import { DP_COLUMNS, PAYEE_COLUMNS, PERSON_COLUMNS } from './copy-rows';

export const CREATE_STAGES = [
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
export const CREATE_LATE_AND_SEEN = [
  `CREATE TEMP TABLE care_stage_dp_late (LIKE care_stage_dp) ON COMMIT DROP`,
  /** Every DP id in the extract (for the FULL "missing" rule), filled as DP batches merge. */
  `CREATE TEMP TABLE care_seen_dp (dp_id text NOT NULL) ON COMMIT DROP`,
];

export const DROP_STAGES = `DROP TABLE IF EXISTS pg_temp.care_stage_person, pg_temp.care_stage_payee, pg_temp.care_stage_dp,
  pg_temp.care_stage_dp_late, pg_temp.care_seen_dp`;

export type StageKind = 'person' | 'payee' | 'dp' | 'dpLate';

export const COPY_INTO: Record<StageKind, string> = {
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
export function mergeSql(kind: StageKind): string {
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
export const MARK_BANK_CHANGED = `
  WITH u AS (
    UPDATE payee p SET bank_changed_ref = $2, bacs_return_blocked = false
      FROM care_version v
     WHERE v.extract_ref = $2 AND v.council = $1 AND v.kind = 'PAYEE' AND v.version > 1
       AND 'bank_hash' = ANY (v.changed) AND p.council = v.council AND p.payee_id = v.record_id
    RETURNING 1)
  SELECT count(*)::int AS n FROM u`;

/** A DP present in this extract (FULL or DELTA) is no longer missing. */
export const CLEAR_MISSING = `
  UPDATE direct_payment d SET missing_from_full = false
   WHERE d.council = $1 AND d.missing_from_full
     AND EXISTS (SELECT 1 FROM care_seen_dp s WHERE s.dp_id = d.dp_id)`;

/**
 * FULL extracts only: a DP not in the file and not past its end on the extract date ($2) is
 * flagged for an officer (its payments are held); it is never ended here.
 */
export const FLAG_MISSING = `
  WITH u AS (
    UPDATE direct_payment d SET missing_from_full = true
     WHERE d.council = $1 AND NOT d.missing_from_full
       AND (d.end_date IS NULL OR d.end_date >= $2::date)
       AND NOT EXISTS (SELECT 1 FROM care_seen_dp s WHERE s.dp_id = d.dp_id)
    RETURNING 1)
  SELECT count(*)::int AS n FROM u`;
