/** Reconciliation spec fixtures. */
import type { Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

/**
 * Imports (on 10 November 2026) three persons `<p>1..3`, each paid by bank to payee PY1..3
 * (account numbers `accounts`) through a weekly DP `<dp>1..3` from 5 October: £140, £70 and £35 a week.
 */
export async function importThreeBankDps(h: Harness, ids: { person: string; dp: string }, accounts: [string, string, string]): Promise<void> {
  const n = [1, 2, 3];
  await importContent(
    h,
    '2026-11-10T01:00:00.000Z',
    n.map((i) => person(`${ids.person}${i}`)),
    n.map((i) => bankPayee(`PY${i}`, accounts[i - 1])),
    [14000n, 7000n, 3500n].map((weekly, i) => weeklyDp(`${ids.dp}${i + 1}`, `${ids.person}${i + 1}`, `PY${i + 1}`, '2026-10-05', weekly)),
  );
}

export interface RunCredit {
  id: string;
  payee_id: string;
  payment_ref: string;
  end_to_end_id: string;
  amount_pence: string;
}

/** The credits of payment run `runId`, by payee. */
export function runCredits(h: Harness, runId: string): Promise<RunCredit[]> {
  return h.ds.query(`SELECT id, payee_id, payment_ref, end_to_end_id, amount_pence FROM credit WHERE run_id = $1 ORDER BY payee_id`, [runId]);
}
