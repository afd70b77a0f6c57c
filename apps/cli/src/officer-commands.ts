/**
 * Officers' commands: held lines, payment runs (release, approve) and explain.
 *
 *   dpbridge holds list [--council C] [--json]
 *   dpbridge holds release LINE --officer NAME
 *   dpbridge holds cancel LINE --officer NAME [--reason TEXT]
 *   dpbridge runs list [--council C] [--json]
 *   dpbridge runs release RUN --officer NAME
 *   dpbridge runs approve RUN --officer NAME
 *   dpbridge explain LINE [--json]
 *
 * A refusal (not held, four-eyes rule, unknown id...) ends the command with a one-line reason
 * and a non-zero exit (the error reaches main.ts, which prints it and exits 2).
 */
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { ConfigError, loadEnv, type Env } from '@dpb/platform';
import { openDataSource } from '@dpb/persistence';
import { approveRunAndDeliver, loadCouncils, releaseRunAndDeliver, type CouncilConfig } from '@dpb/pipeline';
import {
  OfficerRefusal,
  cancelLine,
  explainLine,
  jsonReady,
  listHeldLines,
  listRuns,
  releaseLine,
  renderExplanation,
  renderHeldLines,
  renderLineDecision,
  renderRunDecision,
  renderRuns,
} from '@dpb/payments';
import { cliOutput, JSON_OPTION, ONE_COUNCIL_OPTION } from './output';

export interface OfficerCliContext {
  ds: DataSource;
  env: Env;
  councils: ReadonlyMap<string, CouncilConfig>;
}

export interface OfficerCliDeps {
  /** Opens what a command needs; `close` is called when it ends. */
  open(): Promise<OfficerCliContext & { close(): Promise<void> }>;
  print(line: string): void;
}

export function defaultDeps(): OfficerCliDeps {
  return {
    async open() {
      let env: Env;
      try {
        env = loadEnv();
      } catch (e) {
        if (e instanceof ConfigError) throw new Error(e.message);
        throw e;
      }
      const councils = loadCouncils(env);
      const ds = await openDataSource(env.DATABASE_URL);
      return { ds, env, councils, close: () => ds.destroy() };
    },
    print: (line) => console.log(line),
  };
}

export async function run<T>(deps: OfficerCliDeps, fn: (c: OfficerCliContext) => Promise<T>): Promise<T> {
  const c = await deps.open();
  try {
    return await fn(c);
  } catch (e) {
    if (e instanceof OfficerRefusal) throw new Error(`refused (${e.code}): ${e.message}`);
    throw e;
  } finally {
    await c.close();
  }
}

const VIA = { via: 'cli' };

export function registerOfficerCommands(program: Command, deps: OfficerCliDeps = defaultDeps()): void {
  const out = cliOutput(deps, jsonReady);

  const holds = program.command('holds').description('payment lines held for an officer');
  holds
    .command('list')
    .description('list held lines')
    .option(...ONE_COUNCIL_OPTION)
    .option('--reason <CODE>', 'only lines held for this reason (e.g. BANK_CHANGED)')
    .option(...JSON_OPTION)
    .action((o: { council?: string; reason?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await listHeldLines(ds, o.council, { reason: o.reason }), renderHeldLines)),
    );
  holds
    .command('release')
    .description('release a held line: it is recomputed and paid in the next run')
    .argument('<LINE>', 'line id (from holds list)')
    .requiredOption('--officer <NAME>', 'the officer taking the decision')
    .action((line: string, o: { officer: string }) =>
      run(deps, async ({ ds }) => out.print(renderLineDecision(await releaseLine(ds, line, o.officer, VIA)))),
    );
  holds
    .command('cancel')
    .description('cancel a held line: it is never paid')
    .argument('<LINE>', 'line id (from holds list)')
    .requiredOption('--officer <NAME>', 'the officer taking the decision')
    .option('--reason <TEXT>', 'why (kept in the audit trail)')
    .action((line: string, o: { officer: string; reason?: string }) =>
      run(deps, async ({ ds }) => out.print(renderLineDecision(await cancelLine(ds, line, o.officer, { ...VIA, reason: o.reason })))),
    );

  const runs = program.command('runs').description('payment runs: list, release holds, approve');
  runs
    .command('list')
    .description('list payment runs, newest first')
    .option(...ONE_COUNCIL_OPTION)
    .option(...JSON_OPTION)
    .action((o: { council?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await listRuns(ds, o.council), renderRuns)),
    );
  runs
    .command('release')
    .description("release a held run's holds (then delivered, or awaiting approval in authorise mode)")
    .argument('<RUN>', 'run id, e.g. HCC-20261209-1')
    .requiredOption('--officer <NAME>', 'the officer taking the decision')
    .action((runId: string, o: { officer: string }) =>
      run(deps, async ({ ds, env, councils }) => {
        const r = await releaseRunAndDeliver(ds, env, councils, runId, o.officer, VIA);
        out.print(renderRunDecision(r.decision, r.delivery));
      }),
    );
  runs
    .command('approve')
    .description('approve a run awaiting approval (not by the officer who released its holds); then delivered')
    .argument('<RUN>', 'run id')
    .requiredOption('--officer <NAME>', 'the approving officer')
    .action((runId: string, o: { officer: string }) =>
      run(deps, async ({ ds, env, councils }) => {
        const r = await approveRunAndDeliver(ds, env, councils, runId, o.officer, VIA);
        out.print(renderRunDecision(r.decision, r.delivery));
      }),
    );

  program
    .command('explain')
    .description('the days, rates, contributions and rules that produced a payment line')
    .argument('<LINE>', 'line id')
    .option(...JSON_OPTION)
    .action((line: string, o: { json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await explainLine(ds, line), renderExplanation)),
    );
}
