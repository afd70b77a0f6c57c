/**
 * `npm run bench` part for the DP account audit: seeds (in SQL, straight into a fresh database)
 * a council of `accounts` card DPs with four weekly lines each and `txns` card transactions spread
 * over November 2026 (loads, contributions, shop items, some at flagged MCCs, ATMs, declined and
 * pending ones), then audits every DP as of 2026-11-30 through the real service (chunks, stored
 * audits, cases) and reports the audit's seconds, DPs/s and peak RSS. Target: 10,000 accounts with
 * 1,000,000 transactions in under 60 s.
 */
import type { DataSource } from 'typeorm';
import { parseCouncilSettings } from '@dpb/payments';
import { auditCouncil, openAuditCases } from '@dpb/audit';

export interface BenchAuditOptions {
  ds: DataSource;
  accounts?: number;
  txns?: number;
  /** Open cases from the findings (default true); false measures the audit alone. */
  cases?: boolean;
}

const COUNCIL = 'BENAUD';

async function seed(ds: DataSource, accounts: number, txns: number): Promise<void> {
  await ds.query(`INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, 'seed.xml', 1, repeat('a', 64), 'APPLIED')`, [COUNCIL]);
  await ds.query(`INSERT INTO person (council, person_id, nhs_valid, restricted, version, extract_ref) SELECT $1, 'P' || i, false, false, 1, 1 FROM generate_series(1, $2) i`, [COUNCIL, accounts]);
  await ds.query(
    `INSERT INTO payee (council, payee_id, account_type, card_provider, card_account_ref, version, extract_ref)
     SELECT $1, 'PY' || i, 'CARD', 'ALLPAY', 'ACC' || i, 1, 1 FROM generate_series(1, $2) i`,
    [COUNCIL, accounts],
  );
  await ds.query(
    `INSERT INTO direct_payment (council, dp_id, person_id, payee_id, recipient_role, frequency, basis, funding_stream, cost_centre, gl_account,
                                 start_date, last_review_date, cash_allowed, terms, content_hash, version, extract_ref)
     SELECT $1, 'DP' || i, 'P' || i, 'PY' || i, 'SELF', 'WEEKLY', 'NET', 'LA', 'ASC1', '540100', '2026-05-04', NULL, i % 5 = 0,
            jsonb_build_object('rates', jsonb_build_array(jsonb_build_object('from', '2026-05-04', 'weeklyGross', (20000 + (i % 50) * 100)::text)),
                               'contributions', jsonb_build_array(jsonb_build_object('from', '2026-05-04', 'weekly', '4000')),
                               'suspensions', '[]'::jsonb, 'oneOffs', '[]'::jsonb, 'splits', '[]'::jsonb),
            repeat('0', 64), 1, 1
       FROM generate_series(1, $2) i`,
    [COUNCIL, accounts],
  );
  await ds.query(`INSERT INTO payment_run (run_id, council, run_date, sequence, state) VALUES ('BENAUD-20261028-1', $1, '2026-10-28', 1, 'DELIVERED')`, [COUNCIL]);
  await ds.query(
    `INSERT INTO payment_line (council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account, period_start, period_end,
                               gross_pence, contribution_pence, payable_pence, state, basis_hash, facts)
     SELECT $1, 'BENAUD-20261028-1', 'DP' || i, 'P' || i, 'PY' || i, 'REGULAR', 'WEEKLY', 'ASC1', '540100', p, p + 6, 20000, 4000, 16000, 'RELEASED', repeat('0', 64), '{}'
       FROM generate_series(1, $2) i, unnest(ARRAY['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']::date[]) p`,
    [COUNCIL, accounts],
  );
  // Per account: txn k of n. k % 25 = 0 a load, % 25 = 1 a contribution naming the DP, % 97 = 2 a bet (declined on odd accounts),
  // % 89 = 3 an ATM, % 53 = 4 pending; the rest shop items.
  await ds.query(
    `INSERT INTO card_txn (council, provider, txn_id, account_ref, posted_at, posting_date, type, status, amount_minor, mcc, merchant, reference,
                           first_file_id, last_file_id, last_file_date, last_row)
     SELECT $1, 'ALLPAY', 'T' || g, 'ACC' || a, ts, (ts AT TIME ZONE 'Europe/London')::date,
            CASE WHEN k % 25 = 0 THEN 'LOAD' WHEN k % 25 = 1 THEN 'TRANSFER_IN' WHEN k % 89 = 3 THEN 'ATM' ELSE 'POS' END,
            CASE WHEN k % 97 = 2 AND a % 2 = 1 THEN 'DECLINED' WHEN k % 53 = 4 THEN 'PENDING' ELSE 'SETTLED' END,
            CASE WHEN k % 25 = 0 THEN 80000 WHEN k % 25 = 1 THEN 4000 WHEN k % 89 = 3 THEN -2000 ELSE -(100 + (g % 5000)) END,
            CASE WHEN k % 25 IN (0, 1) THEN NULL WHEN k % 97 = 2 THEN '7995' WHEN k % 89 = 3 THEN '6011' ELSE '5411' END,
            CASE WHEN k % 25 IN (0, 1) THEN NULL ELSE 'MERCHANT ' || (g % 1000) END,
            CASE WHEN k % 25 = 1 THEN 'DP' || a || ' contribution' ELSE NULL END,
            1, 1, '2026-11-30', 1
       FROM (SELECT g, 1 + (g % $2) AS a, g / $2 AS k, timestamptz '2026-11-02 09:00:00+00' + ((g % 2419200) * interval '1 second') AS ts
               FROM generate_series(0, $3 - 1) g) s`,
    [COUNCIL, accounts, txns],
  );
  await ds.query(`ANALYZE card_txn; ANALYZE payment_line; ANALYZE direct_payment; ANALYZE payee`);
}

export async function benchAudit(o: BenchAuditOptions): Promise<Record<string, unknown>> {
  const accounts = o.accounts ?? 10_000;
  const txns = o.txns ?? 1_000_000;
  const t0 = Date.now();
  await seed(o.ds, accounts, txns);
  const seedSeconds = (Date.now() - t0) / 1000;
  const settings = parseCouncilSettings({ council: COUNCIL, goLiveDate: '2026-11-02', finance: { postingFormat: 'SAP_CSV', sapCompanyCode: '1000' } });
  const t1 = Date.now();
  const r = await auditCouncil(o.ds, { council: COUNCIL, settings, asOf: '2026-11-30', all: true, findings: o.cases === false ? undefined : openAuditCases });
  const seconds = (Date.now() - t1) / 1000;
  const [cases]: { n: number }[] = await o.ds.query(`SELECT count(*)::int AS n FROM officer_case WHERE council = $1`, [COUNCIL]).catch(() => [{ n: -1 }]);
  return {
    accounts,
    txns,
    seedSeconds,
    seconds,
    dpsPerSecond: Math.round(accounts / seconds),
    audited: r.audited,
    stored: r.stored,
    flags: r.flags,
    cases: cases.n,
    targetSeconds: 60,
    withinTarget: seconds < 60,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
