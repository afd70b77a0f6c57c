/** Reconciliation: payment confirmation (card loads, Bacs runs) and the cases it leaves. */
export * from './rules';
export * from './confirmation.service';
