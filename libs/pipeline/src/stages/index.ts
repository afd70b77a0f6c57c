import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { intakeInbox, type IntakeSummary } from '../intake';
import { careReaderLimits, intakeLimits, withEndpoint } from '../endpoints';
import { type StageContext, type StageHandlers, type StageSummary } from '../stage';
import { runPaymentStage } from './payment-run';
import { runBankInStage } from './bank-in';
import { runReconcileStage } from './reconcile';
import { runReportStage } from './report';
import { runReclaimStage } from './reclaim';

export function intakeSummary(s: IntakeSummary): StageSummary {
  return {
    outcome: s.applied + s.quarantined + s.duplicates > 0 ? 'DONE' : 'NOTHING_TO_DO',
    counts: { applied: s.applied, duplicates: s.duplicates, quarantined: s.quarantined, incomplete: s.incomplete, records: s.records },
    warnings: s.warnings,
  };
}

async function careIn(ctx: StageContext): Promise<StageSummary> {
  const applier = createMosaicApplier(undefined, { limits: careReaderLimits(ctx.env) });
  const s = await withEndpoint(ctx.council.endpoints.careInbox, ctx.env, (endpoint) =>
    intakeInbox({ ds: ctx.ds, endpoint, applier, council: ctx.council.code, nightDate: ctx.nightDate, log: ctx.log, limits: intakeLimits(ctx.env) }),
  );
  return intakeSummary(s);
}

export function defaultStageHandlers(): StageHandlers {
  return {
    'care-in': careIn,
    'payment-run': runPaymentStage,
    'bank-in': runBankInStage,
    reconcile: (ctx) => runReconcileStage(ctx),
    reclaim: runReclaimStage,
    report: runReportStage,
  };
}
