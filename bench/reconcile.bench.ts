/**
 * `npm run bench` part for the reconcile stage's payment confirmation at national scale: the
 * answer to one 200,000-DP payment run. The tables are seeded in SQL (INSERT ... SELECT from
 * generate_series, straight into a fresh database) rather than by running a 200,000-DP night:
 * the night's earlier stages have their own benches, and seeding takes seconds instead of minutes.
 *
 * Seeded: one DELIVERED run dated Wed 11 Nov 2026 with one credit and one line per DP (one DP in
 * three paid by card load, the rest by Bacs); the card provider's LOAD items (1% of loads never
 * posted, one in three posted without our reference, and 100 LOADs nobody sent); the council's
 * payment-account statement, itemised as the worst case (one debit per credit on the processing
 * day, each carrying its EndToEndId in the EndToEndId field and in the reference), with a camt
 * return (ARET, matched in bank-in) for one Bacs credit in 1,000, a credit naming one of our
 * payment references with no return for another one in 1,000, and 50 funding transfers.
 *
 * Measured through the real service (`confirmPayments`, the reconcile stage's confirmation step):
 * the entry-day night (reference matches, the run confirmed item by item, RETURNED_PAYMENT
 * cases), the night after every window closed (date matches, PAYMENT_UNCONFIRMED and
 * UNEXPECTED_CREDIT cases) and a re-run of it. The audit step is not included: its own bench
 * (`--only audit`) measures 10,000 card accounts. Target: under 60 s; peak RSS printed.
 */
import type { DataSource } from 'typeorm';
import { parseCouncilSettings } from '@dpb/payments';
import { confirmPayments, type ConfirmationSummary } from '@dpb/reconciliation';

export interface BenchReconcileOptions {
  ds: DataSource;
  /** DPs in the run (one credit each). */
  dps?: number;
}

const COUNCIL = 'BENREC';
const RUN = 'BENREC-20261111-1';
const ACCOUNT = 'GB29NWBK60161366374958';

async function seed(ds: DataSource, dps: number): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => ds.query(sql, params);
  await q(`INSERT INTO payment_run (run_id, council, run_date, sequence, state) VALUES ($1, $2, '2026-11-11', 1, 'DELIVERED')`, [RUN, COUNCIL]);
  await q(
    `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name, card_provider, card_account_ref,
                         payment_ref, end_to_end_id, amount_pence)
     SELECT $1, $2, 'PY' || g, CASE WHEN g % 3 = 0 THEN 'CARD' ELSE 'BANK' END, 'V' || g, '089999', lpad((g % 100000000)::text, 8, '0'), 'ACCOUNT ' || g,
            CASE WHEN g % 3 = 0 THEN 'ALLPAY' END, CASE WHEN g % 3 = 0 THEN 'C' || g END,
            $1 || lpad(g::text, 6, '0'), $2 || '-' || g, 10000 + g % 500
       FROM generate_series(1, $3::int) g`,
    [COUNCIL, RUN, dps],
  );
  await q(
    `INSERT INTO payment_line (council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account, period_start, period_end,
                               gross_pence, contribution_pence, payable_pence, state, basis_hash, released_run_id, credit_id, facts)
     SELECT $1, $2, 'DP' || substr(c.payee_id, 3), 'P' || substr(c.payee_id, 3), c.payee_id, 'REGULAR', 'WEEKLY', 'ASC1', '540100', '2026-11-16', '2026-11-22',
            c.amount_pence, 0, c.amount_pence, 'RELEASED', repeat('0', 64), $2, c.id, '{}'
       FROM credit c WHERE c.run_id = $2`,
    [COUNCIL, RUN],
  );
  // LOAD items: 1% of card loads never posted; one in three posted without our reference.
  await q(
    `INSERT INTO card_txn (council, provider, txn_id, account_ref, posted_at, posting_date, type, status, amount_minor, reference,
                           first_file_id, last_file_id, last_file_date, last_row)
     SELECT $1, 'ALLPAY', 'T' || g, 'C' || g, timestamptz '2026-11-13T09:00:00Z', date '2026-11-13', 'LOAD', 'SETTLED', 10000 + g % 500,
            CASE WHEN (g / 3) % 3 = 0 THEN NULL ELSE 'DP FUNDING ' || $1 || lpad(g::text, 6, '0') END, 1, 1, date '2026-11-13', g
       FROM generate_series(3, $2::int, 3) g WHERE g % 100 <> 0
     UNION ALL
     SELECT $1, 'ALLPAY', 'U' || k, 'X' || k, '2026-11-13T10:00:00Z', '2026-11-13', 'LOAD', 'SETTLED', 5000, 'TOP UP', 1, 1, '2026-11-13', k
       FROM generate_series(1, 100) k`,
    [COUNCIL, dps],
  );
  const [file]: { id: string }[] = await q(
    `INSERT INTO inbound_file (source, council, name, size, sha256, state, format) VALUES ('bank', $1, 'stmt_20261113.xml', 1, repeat('b', 64), 'APPLIED', 'camt.053') RETURNING id`,
    [COUNCIL],
  );
  const [st]: { id: string }[] = await q(
    `INSERT INTO bank_statement (council, inbound_file_id, file_index, format, kind, account, currency, sequence, seq_no, opening_minor, closing_minor,
                                 entry_count, booked_total_minor, first_booking_date, last_booking_date, content_hash, state)
     VALUES ($1, $2, 0, 'camt.053', 'STATEMENT', $3, 'GBP', '1', 1, 0, 0, 0, 0, '2026-11-12', '2026-11-13', repeat('c', 64), 'POSTED') RETURNING id`,
    [COUNCIL, file.id, ACCOUNT],
  );
  // The itemised debits; then returns (one Bacs credit in 1,000), refunds naming a payment reference with no return (another one in 1,000), funding.
  await q(
    `INSERT INTO bank_entry (statement_id, council, line_no, amount_minor, booking_date, value_date, status, reversal, reference, end_to_end_id, bank_tx_code)
     SELECT $1, $2, row_number() OVER (ORDER BY x.part, x.n), x.amount, x.day, x.day, 'BOOKED', x.reversal, x.reference, x.e2e, x.code
       FROM (
     SELECT 1 AS part, c.id AS n, -c.amount_pence AS amount, date '2026-11-12' AS day, false AS reversal, c.end_to_end_id AS reference, c.end_to_end_id AS e2e, 'PMNT/ICDT/ESCT' AS code
       FROM credit c WHERE c.run_id = $3
     UNION ALL
     SELECT 2, c.id, c.amount_pence, '2026-11-13', true, NULL, c.end_to_end_id, 'PMNT/ICDT/ARET'
       FROM credit c WHERE c.run_id = $3 AND c.channel = 'BANK' AND substr(c.payee_id, 3)::int % 1000 = 1
     UNION ALL
     SELECT 3, c.id, c.amount_pence, '2026-11-13', false, 'REFUND ' || c.payment_ref, NULL, 'PMNT/RCDT/ESCT'
       FROM credit c WHERE c.run_id = $3 AND c.channel = 'BANK' AND substr(c.payee_id, 3)::int % 1000 = 2
     UNION ALL
     SELECT 4, k, 250000000, '2026-11-13', false, 'TRANSFER FROM GENERAL FUND', NULL, 'PMNT/RCDT/BOOK'
       FROM generate_series(1, 50) k) x`,
    [st.id, COUNCIL, RUN],
  );
  await q(
    `INSERT INTO bacs_return (council, source, item_key, inbound_file_id, bank_entry_id, line_no, end_to_end_id, amount_minor, reason_code, deceased,
                              return_date, state, credit_id, payee_id, matched_by, amount_agrees, matched_at)
     SELECT $1, 'STATEMENT', 'e2e:' || e.end_to_end_id, $2, e.id, e.line_no, e.end_to_end_id, e.amount_minor, 'AC04', false, e.booking_date,
            'MATCHED', c.id, c.payee_id, 'END_TO_END_ID', true, now()
       FROM bank_entry e JOIN credit c ON c.end_to_end_id = e.end_to_end_id
      WHERE e.statement_id = $3 AND e.amount_minor > 0`,
    [COUNCIL, file.id, st.id],
  );
  await q(`ANALYZE credit; ANALYZE payment_line; ANALYZE card_txn; ANALYZE bank_entry; ANALYZE bank_statement; ANALYZE bacs_return`);
}

export async function benchReconcile(o: BenchReconcileOptions): Promise<Record<string, unknown>> {
  const dps = o.dps ?? 200_000;
  const t0 = Date.now();
  await seed(o.ds, dps);
  const seedSeconds = (Date.now() - t0) / 1000;
  const settings = parseCouncilSettings({
    council: COUNCIL,
    goLiveDate: '2026-11-02',
    finance: {
      postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18', sapCompanyCode: 'BR01', bacsServiceUserNumber: '123456', originatorName: 'BENCH COUNCIL',
      originatingSortCode: '089999', originatingAccountNumber: '66374958', originatingAccountName: 'BENCH COUNCIL DP',
    },
    reconciliation: { paymentAccounts: [ACCOUNT] },
  });
  const night = async (nightDate: string): Promise<{ nightDate: string; seconds: number } & ConfirmationSummary> => {
    const t = Date.now();
    const s = await confirmPayments(o.ds, { council: COUNCIL, nightDate, settings });
    return { nightDate, seconds: (Date.now() - t) / 1000, ...s };
  };
  const entryDay = await night('2026-11-13');
  const windowsClosed = await night('2026-11-30');
  const rerun = await night('2026-11-30');
  const seconds = entryDay.seconds + windowsClosed.seconds + rerun.seconds;
  return {
    dps,
    cardLoads: Math.floor(dps / 3),
    seedSeconds,
    seconds,
    nights: [entryDay, windowsClosed, rerun],
    targetSeconds: 60,
    withinTarget: seconds < 60,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
