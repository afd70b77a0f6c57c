import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson, toCanonical } from '@dpb/common';
import type { DirectPayment, ExtractHeader, Payee, Person } from '../model';

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

export class ExtractOrderError extends Error {
  override readonly name = 'ExtractOrderError';
  constructor(readonly rule: 'EXTRACT_OLDER_THAN_LAST_APPLIED' | 'EXTRACT_ID_ALREADY_APPLIED' | 'COUNCIL_MISMATCH') {
    super(rule);
  }
}

type Kind = 'PERSON' | 'PAYEE' | 'DP';
const toJson = toCanonical;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function personRow(p: Person) {
  return {
    person_id: p.id,
    nhs_number: p.personal.nhsNumber,
    nhs_valid: p.nhsNumberValid !== false,
    restricted: p.restricted,
    date_of_birth: p.personal.dateOfBirth,
    date_of_death: p.dateOfDeath,
    title: p.personal.title,
    first_name: p.personal.firstName,
    last_name: p.personal.lastName,
    address_line1: p.personal.address.line1,
    town: p.personal.address.town,
    postcode: p.personal.address.postcode,
  };
}

function payeeRow(p: Payee) {
  return {
    payee_id: p.id,
    vendor_no: p.vendorNo,
    account_type: p.accountType,
    sort_code: p.bank?.sortCode ?? null,
    account_number: p.bank?.accountNumber ?? null,
    account_name: p.bank?.accountName ?? null,
    modulus_valid: p.bank ? p.bank.modulusValid : null,
    card_provider: p.card?.provider ?? null,
    card_account_ref: p.card?.accountRef ?? null,
    bank_hash: p.bank ? sha(`${p.bank.sortCode}|${p.bank.accountNumber}`) : null,
  };
}

export function dpTerms(dp: DirectPayment) {
  return toJson({
    rates: dp.rates,
    contributions: dp.contributions,
    suspensions: dp.suspensions,
    oneOffs: dp.oneOffs,
    splits: dp.splits,
  });
}

function dpRow(dp: DirectPayment) {
  return {
    dp_id: dp.id,
    person_id: dp.personId,
    payee_id: dp.payeeId,
    recipient_role: dp.recipientRole,
    frequency: dp.frequency,
    basis: dp.basis,
    funding_stream: dp.fundingStream,
    cost_centre: dp.costCentre,
    gl_account: dp.glAccount,
    start_date: dp.start,
    end_date: dp.end,
    last_review_date: dp.lastReviewDate,
    cash_allowed: dp.cashAllowed,
    terms: dpTerms(dp),
  };
}

type Row = Record<string, unknown>;
const CHUNK = 2000;

function changedFields(prev: Row | undefined, next: Row): string[] {
  if (!prev) return ['*'];
  return Object.keys(next).filter((k) => canonicalJson(prev[k]) !== canonicalJson(next[k]));
}

/**
 * Applies one validated extract inside the caller's transaction. Only new or changed records are
 * written; each write bumps the record's version and leaves a `care_version` row naming the
 * fields that changed and the extract that changed them. Nothing is deleted: a DP missing from a
 * FULL extract (and not past its end) is flagged for an officer, and its payments are held.
 */
export async function importExtract(m: EntityManager, council: string, ledgerId: string, x: ExtractContent): Promise<ImportCounts> {
  if (x.header.council !== council) throw new ExtractOrderError('COUNCIL_MISMATCH');
  const last: { generated_at: Date; extract_id: string }[] = await m.query(
    `SELECT generated_at, extract_id FROM care_extract WHERE council = $1 ORDER BY generated_at DESC LIMIT 1`,
    [council],
  );
  if (last[0] && new Date(x.header.generatedAt).getTime() < new Date(last[0].generated_at).getTime()) {
    throw new ExtractOrderError('EXTRACT_OLDER_THAN_LAST_APPLIED');
  }
  const dup: unknown[] = await m.query(`SELECT 1 FROM care_extract WHERE council = $1 AND extract_id = $2`, [council, x.header.extractId]);
  if (dup.length) throw new ExtractOrderError('EXTRACT_ID_ALREADY_APPLIED');

  const [{ id: extractRef }]: { id: string }[] = await m.query(
    `INSERT INTO care_extract (council, extract_id, kind, generated_at, extract_date, inbound_file_id, persons, payees, direct_payments)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [council, x.header.extractId, x.header.kind, x.header.generatedAt, x.header.extractDate, ledgerId,
      x.persons.length, x.payees.length, x.directPayments.length],
  );

  const persons = await upsertKind(m, council, extractRef, 'PERSON', 'person', 'person_id', x.persons.map(personRow));
  const payees = await upsertKind(m, council, extractRef, 'PAYEE', 'payee', 'payee_id', x.payees.map(payeeRow));
  const dps = await upsertKind(m, council, extractRef, 'DP', 'direct_payment', 'dp_id', x.directPayments.map(dpRow));

  // A changed bank account (not a first appearance) marks the payee for the bank-change hold.
  const bankChanged: { n: number }[] = await m.query(
    `WITH u AS (
       UPDATE payee p SET bank_changed_ref = $2
         FROM care_version v
        WHERE v.council = $1 AND v.extract_ref = $2 AND v.kind = 'PAYEE' AND v.version > 1
          AND 'bank_hash' = ANY (v.changed) AND p.council = v.council AND p.payee_id = v.record_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
    [council, extractRef],
  );

  const ids = x.directPayments.map((d) => d.id);
  await m.query(`UPDATE direct_payment SET missing_from_full = false WHERE council = $1 AND dp_id = ANY ($2) AND missing_from_full`, [council, ids]);
  let missing = 0;
  if (x.header.kind === 'FULL') {
    const flagged: { n: number }[] = await m.query(
      `WITH u AS (
         UPDATE direct_payment SET missing_from_full = true
          WHERE council = $1 AND NOT (dp_id = ANY ($2)) AND NOT missing_from_full
            AND (end_date IS NULL OR end_date >= $3::date)
         RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [council, ids, x.header.extractDate],
    );
    missing = flagged[0].n;
  }
  return {
    persons,
    payees: { ...payees, bankChanged: bankChanged[0].n },
    directPayments: { ...dps, missingFromFull: missing },
  };
}

async function upsertKind(
  m: EntityManager,
  council: string,
  extractRef: string,
  kind: Kind,
  table: 'person' | 'payee' | 'direct_payment',
  idCol: string,
  rows: Row[],
): Promise<{ added: number; changed: number; unchanged: number }> {
  const counts = { added: 0, changed: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const existing: (Row & { version: number })[] = await m.query(
      `SELECT * FROM ${table} WHERE council = $1 AND ${idCol} = ANY ($2)`,
      [council, chunk.map((r) => r[idCol])],
    );
    const byId = new Map(existing.map((e) => [String(e[idCol]), e]));
    const writes: Row[] = [];
    const versions: Row[] = [];
    for (const row of chunk) {
      const prev = byId.get(String(row[idCol]));
      const prevComparable = prev ? normaliseDbRow(prev, row) : undefined;
      const changed = changedFields(prevComparable, row);
      if (prev && changed.length === 0) {
        counts.unchanged++;
        continue;
      }
      prev ? counts.changed++ : counts.added++;
      const version = (prev?.version ?? 0) + 1;
      const full = table === 'direct_payment' ? { ...row, content_hash: sha(canonicalJson(row)) } : row;
      writes.push({ ...full, council, version, extract_ref: extractRef });
      versions.push({ council, kind, record_id: row[idCol], version, extract_ref: extractRef, changed, content: toJson(row) });
    }
    if (writes.length) {
      const cols = Object.keys(writes[0]);
      const updates = cols.filter((c) => c !== 'council' && c !== idCol).map((c) => `${c} = EXCLUDED.${c}`);
      await m.query(
        `INSERT INTO ${table} (${cols.join(', ')})
         SELECT ${cols.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
         ON CONFLICT (council, ${idCol}) DO UPDATE SET ${updates.join(', ')}`,
        [JSON.stringify(writes.map(toJson))],
      );
      await m.query(
        `INSERT INTO care_version (council, kind, record_id, version, extract_ref, changed, content)
         SELECT council, kind, record_id, version, extract_ref, changed, content
           FROM jsonb_to_recordset($1::jsonb)
             AS t(council text, kind text, record_id text, version int, extract_ref bigint, changed text[], content jsonb)`,
        [JSON.stringify(versions)],
      );
    }
  }
  return counts;
}

/** The row as read back, reduced to the columns a freshly built row has (dates are strings). */
function normaliseDbRow(db: Row, like: Row): Row {
  const out: Row = {};
  for (const k of Object.keys(like)) out[k] = db[k];
  return out;
}
