// A worker process that runs one payment run and exits (tests kill it mid-run).
import 'reflect-metadata';
import { loadEnv } from '@dpb/platform';
import { openDataSource } from '@dpb/persistence';
import { loadCouncils } from '@dpb/pipeline';
import { createPaymentRun } from '@dpb/payments';

async function main(): Promise<void> {
  const [council, runDate] = process.argv.slice(2);
  const env = loadEnv();
  const settings = loadCouncils(env).get(council)!.settings;
  const ds = await openDataSource(env.DATABASE_URL);
  try {
    const r = await createPaymentRun(ds, { council, runDate, settings });
    process.stdout.write(`${JSON.stringify({ runId: r.runId, lines: r.lines })}\n`);
  } finally {
    await ds.destroy();
  }
}
main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
