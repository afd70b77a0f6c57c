/**
 * Stage 4 of the night: reconcile. A list of steps run in order, each adding counts and warnings
 * to the stage's summary: payment confirmation first (card loads, Bacs runs, returns, recoveries
 * into officer cases), then whatever else is registered after it (the DP account audit adds its
 * step here: `reconcileSteps()` is the one place). Counts and codes only, no personal data.
 */
import { confirmPayments } from '@dpb/reconciliation';
import type { StageContext, StageSummary } from '../stage';
import { auditStep } from '../audit-jobs';

export interface ReconcileStepResult {
  /** Whether the step found or changed anything (the stage is DONE when any step did). */
  did: boolean;
  counts: Record<string, number | string>;
  warnings: string[];
}

export interface ReconcileStep {
  name: string;
  run(ctx: StageContext): Promise<ReconcileStepResult>;
}

export const confirmationStep: ReconcileStep = {
  name: 'confirmation',
  async run(ctx) {
    const s = await confirmPayments(ctx.ds, { council: ctx.council.code, nightDate: ctx.nightDate, settings: ctx.council.settings });
    const counts: Record<string, number | string> = {
      'confirm.cardLoadsConfirmed': s.cardLoadsConfirmed,
      'confirm.cardLoadsPending': s.cardLoadsPending,
      'confirm.runsConfirmed': s.runsConfirmed,
      'confirm.runsPending': s.runsPending,
    };
    let opened = 0;
    for (const [kind, n] of Object.entries(s.casesOpened)) {
      counts[`cases.opened.${kind}`] = n;
      opened += n;
    }
    counts['cases.opened'] = opened;
    const warnings: string[] = [];
    const o = s.casesOpened;
    if (o.PAYMENT_UNCONFIRMED) warnings.push(`ALERT: ${o.PAYMENT_UNCONFIRMED} payment(s) not confirmed by the card or bank files in time (dpbridge cases list --kind PAYMENT_UNCONFIRMED)`);
    if (o.UNEXPECTED_CREDIT) warnings.push(`ALERT: ${o.UNEXPECTED_CREDIT} unexpected credit(s): card loads dpbridge did not send, or payment-account credits naming our payments that no return explains (dpbridge cases list --kind UNEXPECTED_CREDIT)`);
    if (o.DEATH) warnings.push(`ALERT: ${o.DEATH} DEATH case(s) opened: the DPs they name are held until an officer closes the case`);
    if (o.RETURNED_PAYMENT) warnings.push(`${o.RETURNED_PAYMENT} returned payment case(s) opened`);
    if (o.OVERPAYMENT) warnings.push(`${o.OVERPAYMENT} overpayment case(s) opened from the payment run's recovery proposals`);
    return { did: s.cardLoadsConfirmed + s.runsConfirmed + opened > 0, counts, warnings };
  },
};

/** The DP account audit (docs/audit.md), after confirmation so tonight's loads are in the ledger. */
export const auditAccountsStep: ReconcileStep = { name: 'audit', run: (ctx) => auditStep(ctx) };

/** The reconcile stage's steps, in order. Later steps (the account audit) are appended here. */
export function reconcileSteps(): ReconcileStep[] {
  return [confirmationStep, auditAccountsStep];
}

export async function runReconcileStage(ctx: StageContext, steps: readonly ReconcileStep[] = reconcileSteps()): Promise<StageSummary> {
  const counts: Record<string, number | string> = {};
  const warnings: string[] = [];
  let did = false;
  for (const step of steps) {
    const r = await step.run(ctx);
    Object.assign(counts, r.counts);
    warnings.push(...r.warnings);
    did ||= r.did;
  }
  ctx.log.info({ counts, warnings: warnings.length }, 'reconcile finished');
  return { outcome: did ? 'DONE' : 'NOTHING_TO_DO', counts, warnings };
}
