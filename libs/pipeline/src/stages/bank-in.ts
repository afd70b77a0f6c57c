import { checkExpectedFiles, createCardApplier, createStatementApplier, countOpenBlockingFindings, matchReturns, parserLimitsFromEnv, type CardMappings } from '@dpb/statements';
import { intakeLimits, withEndpoint } from '../endpoints';
import { intakeInbox, type IntakeSummary } from '../intake';
import type { StageContext, StageSummary } from '../stage';

export interface BankInOptions {
  /** Epoch ms now, for the expected-file cut-offs (default: the clock). */
  now?: () => number;
}

function cardMappings(ctx: StageContext): CardMappings {
  const out: CardMappings = {};
  for (const [provider, cfg] of Object.entries(ctx.council.settings.cardFiles ?? {})) out[provider.toUpperCase()] = cfg.mapping;
  return out;
}

function intakeCounts(prefix: string, s: IntakeSummary): Record<string, number> {
  return {
    [`${prefix}.applied`]: s.applied,
    [`${prefix}.duplicates`]: s.duplicates,
    [`${prefix}.quarantined`]: s.quarantined,
    [`${prefix}.incomplete`]: s.incomplete,
    [`${prefix}.records`]: s.records,
  };
}

/**
 * Stage 3 of the night (docs/pipeline.md): bank statements and returns files from the bank inbox, card
 * files from the card inbox (each file exactly once, archived or quarantined), then Bacs returns
 * matched to their credits (payees blocked, deaths alerted), then the expected-file check.
 * Counts and codes only: no names, account numbers or amounts in the summary.
 */
export async function runBankInStage(ctx: StageContext, opts: BankInOptions = {}): Promise<StageSummary> {
  const { ds, council, nightDate, log } = ctx;
  const limits = parserLimitsFromEnv(ctx.env);
  const bank = await withEndpoint(council.endpoints.bankInbox, ctx.env, (endpoint) =>
    intakeInbox({ ds, endpoint, applier: createStatementApplier({ limits, strict: council.settings.bankControlTotals !== 'warn' }), council: council.code, nightDate, log, limits: intakeLimits(ctx.env) }),
  );
  const card = await withEndpoint(council.endpoints.cardInbox, ctx.env, (endpoint) =>
    intakeInbox({ ds, endpoint, applier: createCardApplier(cardMappings(ctx), { limits }), council: council.code, nightDate, log, limits: intakeLimits(ctx.env) }),
  );
  const returns = await ds.transaction((m) => matchReturns(m, council.code));
  const nowMs = (opts.now ?? (() => Date.now()))();
  const expected = await checkExpectedFiles(ds.manager, {
    council: council.code, nightDate, nowMs, expected: council.settings.expectedFiles,
  });
  const openBlocking = await countOpenBlockingFindings(ds.manager, council.code);

  const warnings = [...bank.warnings, ...card.warnings];
  if (returns.matched) warnings.push(`${returns.matched} Bacs return(s) matched: ${returns.payeesBlocked} payee(s) newly blocked`);
  if (returns.deathAlerts) warnings.push(`ALERT: ${returns.deathAlerts} Bacs return(s) give the beneficiary as deceased: death workflow opened`);
  if (returns.amountDisagrees) warnings.push(`${returns.amountDisagrees} matched return(s) differ in amount from the credit`);
  if (returns.unmatched) warnings.push(`${returns.unmatched} Bacs return(s) not matched to any payment`);
  if (openBlocking) warnings.push(`${openBlocking} open statement integrity finding(s): held statements are not posted`);
  for (const e of expected) {
    if (e.verdict === 'MISSING') warnings.push(`ALERT: no ${e.source} file received by the ${e.cutoff} cut-off`);
  }
  const counts: Record<string, number | string> = {
    ...intakeCounts('bank', bank),
    ...intakeCounts('card', card),
    'returns.matched': returns.matched,
    'returns.unmatched': returns.unmatched,
    'returns.payeesBlocked': returns.payeesBlocked,
    'returns.deathAlerts': returns.deathAlerts,
    'findings.openBlocking': openBlocking,
  };
  for (const e of expected) counts[`expected.${e.source}`] = e.verdict;
  const did = bank.applied + bank.quarantined + bank.duplicates + card.applied + card.quarantined + card.duplicates + returns.matched;
  log.info({ counts, warnings: warnings.length }, 'bank and card intake finished');
  return { outcome: did > 0 ? 'DONE' : 'NOTHING_TO_DO', counts, warnings };
}
