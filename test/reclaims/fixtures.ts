/** Reclaim spec fixtures. */
import type { Harness } from '../support/council-harness';

/**
 * Inserts a 1p RECOVERY invoice for case `caseId`, raised (and covering) the day `on`, straight
 * into the database: for the specs showing what the invoice table's constraints refuse.
 */
export function insertRecoveryInvoice(h: Harness, id: string, caseId: string, on: string): Promise<unknown> {
  return h.ds.query(
    `INSERT INTO invoice (id, council, kind, customer, period_from, period_to, case_id, raised_on, total_pence)
     VALUES ($1, $2, 'RECOVERY', 'P1', $4, $4, $3, $4, 1)`,
    [id, h.code, caseId, on],
  );
}
