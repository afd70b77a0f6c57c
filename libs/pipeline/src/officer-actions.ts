/**
 * Officers' run decisions that end in delivery: when releasing a run's holds or approving it makes
 * the run RELEASED, its files are built from the database and delivered (deliverRun), the final
 * `<runId>.manifest.json` after the earlier `<runId>.held.manifest.json`. Repeating the command
 * on a RELEASED run that was not delivered (e.g. the outbox was down) delivers it again.
 */
import type { DataSource } from 'typeorm';
import type { Env } from '@dpb/platform';
import { approveRun, OfficerRefusal, releaseRun, type DecisionContext, type RunDecision } from '@dpb/payments/officer';
import type { CouncilConfig } from './councils';
import { deliverRun, type DeliveryReport } from './stages/payment-run';

export interface RunDecisionWithDelivery {
  decision: RunDecision;
  /** Null when the run did not become RELEASED (e.g. it now awaits approval). */
  delivery: DeliveryReport | null;
}

export async function releaseRunAndDeliver(
  ds: DataSource,
  env: Env,
  councils: ReadonlyMap<string, CouncilConfig>,
  runId: string,
  officer: string,
  ctx: DecisionContext = {},
): Promise<RunDecisionWithDelivery> {
  const decision = await releaseRun(ds, runId, officer, (code) => councils.get(code)?.settings.releaseMode, ctx);
  return { decision, delivery: await deliverIfReleased(ds, env, councils, decision) };
}

export async function approveRunAndDeliver(
  ds: DataSource,
  env: Env,
  councils: ReadonlyMap<string, CouncilConfig>,
  runId: string,
  officer: string,
  ctx: DecisionContext = {},
): Promise<RunDecisionWithDelivery> {
  const decision = await approveRun(ds, runId, officer, ctx);
  return { decision, delivery: await deliverIfReleased(ds, env, councils, decision) };
}

async function deliverIfReleased(ds: DataSource, env: Env, councils: ReadonlyMap<string, CouncilConfig>, d: RunDecision): Promise<DeliveryReport | null> {
  if (!d.deliver) return null;
  const council = councils.get(d.council);
  if (!council) throw new OfficerRefusal('UNKNOWN_COUNCIL', `council ${d.council} of run ${d.runId} is not configured; run released but not delivered`, d.council);
  return deliverRun(ds, env, council, d.runId);
}
