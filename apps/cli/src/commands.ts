import { FlowProducer, Queue } from 'bullmq';
import type { Command, Option as OptionCtor } from 'commander';
import { ALL_QUEUES, bullOptions, ConfigError, loadEnv, STAGES, type Env, type Stage } from '@dpb/platform';
import { FileLedger, openDataSource, runMigrations } from '@dpb/persistence';
import { bootstrap, enqueueNight, fleetStatus, loadCouncils, londonToday, rerunNight, waitForNight, withEndpoint, type Role } from '@dpb/pipeline';
import { inspectFile } from './inspect';
import { printStatus } from './print';
import { registerOfficerCommands } from './officer-commands';
import { registerCaseCommands } from './case-commands';
import { registerInvoiceCommands } from './invoice-commands';
import { registerAuditCommands } from './audit-commands';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function env(): Env {
  try {
    return loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

/** Wires every sub-command; resolves to the process exit code. */
export async function runCli(program: Command, Option: typeof OptionCtor): Promise<number> {
  let exit = 0;
  program
    .command('migrate')
    .description('apply database migrations (DATABASE_MIGRATION_URL, default DATABASE_URL)')
    .action(async () => {
      const e = env();
      const { applied } = await runMigrations(e.DATABASE_MIGRATION_URL ?? e.DATABASE_URL);
      console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
    });

  program
    .command('nightly')
    .description('enqueue (and optionally wait for) one night')
    .option('--date <YYYY-MM-DD>', 'night date (default: today in Europe/London)')
    .option('--council <CODE>', 'one council (default: every council configured)')
    .option('--wait', 'print progress and wait until every stage finished')
    .option('--timeout <seconds>', 'give up waiting after this long', '3600')
    .action(async (o: { date?: string; council?: string; wait?: boolean; timeout: string }) => {
      const e = env();
      const nightDate = o.date ?? londonToday();
      if (!DATE.test(nightDate)) throw new Error('--date must be YYYY-MM-DD');
      const councils = loadCouncils(e);
      const codes = o.council ? [o.council] : [...councils.keys()].sort();
      for (const c of codes) if (!councils.has(c)) throw new Error(`council ${c} is not configured`);
      const ds = await openDataSource(e.DATABASE_URL);
      const flows = new FlowProducer(bullOptions(e));
      try {
        for (const code of codes) {
          const r = await enqueueNight(ds, flows, code, nightDate);
          console.log(r.enqueued ? `${code} ${nightDate}: enqueued` : `${code} ${nightDate}: already ${r.state.toLowerCase()}, not enqueued again`);
        }
        if (o.wait) {
          for (const code of codes) {
            const outcome = await waitForNight(ds, code, nightDate, Number(o.timeout) * 1000, (line) => console.log(line));
            if (!outcome.ok) {
              console.error(`${code} ${nightDate}: FAILED: ${outcome.reason}`);
              exit = 1;
            }
          }
        }
      } finally {
        await flows.close();
        await ds.destroy();
      }
    });

  program
    .command('rerun')
    .description('run one night again from a stage (stages are idempotent)')
    .requiredOption('--date <YYYY-MM-DD>', 'night date')
    .requiredOption('--council <CODE>', 'council')
    .addOption(new Option('--from <stage>', 'first stage to run').choices([...STAGES]).default('care-in'))
    .option('--force', 'start a new flow even though the night is still queued or running (the running flow stops at its next stage)')
    .action(async (o: { date: string; council: string; from: Stage; force?: boolean }) => {
      const e = env();
      const ds = await openDataSource(e.DATABASE_URL);
      const flows = new FlowProducer(bullOptions(e));
      try {
        const r = await rerunNight(ds, flows, o.council, o.date, o.from, { force: o.force });
        console.log(`${o.council} ${o.date}: re-run from ${o.from} enqueued (${r.jobId})`);
      } finally {
        await flows.close();
        await ds.destroy();
      }
    });

  program
    .command('status')
    .description('queues, last nights, quarantined files')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const e = env();
      const ds = await openDataSource(e.DATABASE_URL);
      const queues = ALL_QUEUES.map((n) => new Queue(n, bullOptions(e)));
      try {
        const s = await fleetStatus(ds, queues);
        if (o.json) console.log(JSON.stringify(s, null, 2));
        else printStatus(s, (l) => console.log(l));
      } finally {
        await Promise.all(queues.map((q) => q.close()));
        await ds.destroy();
      }
    });

  program
    .command('inspect')
    .description("detect a file's format, parse it and print the normalised content; writes nothing")
    .argument('<FILE>')
    .option('--json', 'print the normalised JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await inspectFile(file);
      if (!r.ok) {
        console.error(`${file}: rejected (${r.format ?? 'unknown format'}): ${r.error}`);
        exit = 1;
        return;
      }
      console.log(o.json ? JSON.stringify(r.json, null, 2) : r.text);
    });

  program
    .command('retry')
    .description('let a quarantined file be processed again (moves it back into its inbox)')
    .argument('<FILE>', 'the quarantined file name')
    .option('--council <CODE>', 'council whose inboxes to search (default: all)')
    .action(async (file: string, o: { council?: string }) => {
      const e = env();
      const ds = await openDataSource(e.DATABASE_URL);
      const ledger = new FileLedger();
      try {
        const rows = (await ledger.findQuarantinedByName(ds.manager, file)).filter((r) => !o.council || r.council === o.council);
        if (!rows.length) throw new Error(`no quarantined file named ${file} in the ledger`);
        if (rows.length > 1) {
          const where = rows.map((r) => `${r.council ?? '?'}/${r.source}`).join(', ');
          throw new Error(`${rows.length} quarantined files are named ${file} (${where}): name the council with --council`);
        }
        const row = rows[0];
        const councils = loadCouncils(e);
        const council = councils.get(o.council ?? row.council ?? '') ?? [...councils.values()][0];
        const url = { care: council.endpoints.careInbox, bank: council.endpoints.bankInbox, card: council.endpoints.cardInbox, ar: council.settings.receivables?.openItems?.inbox }[row.source];
        if (!url) throw new Error(`council ${council.code} has no ${row.source} inbox configured`);
        await withEndpoint(url, e, (ep) => ep.release(file));
        await ledger.markRetry(ds.manager, row.source, row.sha256);
        console.log(`${file}: moved back to the ${row.source} inbox; it will be processed in the next ${row.source} intake`);
      } finally {
        await ds.destroy();
      }
    });

  program
    .command('start')
    .description('run fleet roles in this process (default: worker, scheduler and ops)')
    .option('--roles <list>', 'comma-separated: worker,scheduler,ops', 'worker,scheduler,ops')
    .action(async (o: { roles: string }) => {
      const roles = o.roles.split(',').map((r) => r.trim()) as Role[];
      for (const r of roles) if (!['worker', 'scheduler', 'ops'].includes(r)) throw new Error(`unknown role ${r}`);
      await bootstrap(roles, env());
    });

  registerOfficerCommands(program);
  registerCaseCommands(program);
  registerInvoiceCommands(program);
  registerAuditCommands(program);
  await program.parseAsync(process.argv);
  return exit;
}
