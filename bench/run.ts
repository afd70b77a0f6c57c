/**
 * One benchmark in its own process (so its peak RSS is its own): `node dist/bench/run.js NAME JSON`.
 * Prints one JSON line with the figures. Driven by scripts/bench.mjs (`npm run bench`).
 */
import 'reflect-metadata';
import { benchPayments } from './payments.bench';

/** Benchmarks owned by other capabilities are loaded by path, so each can be built on its own. */
const modulePath = (name: string): string => `./${name}.bench`;

type Bench = (opts: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function load(name: string): Promise<Bench> {
  switch (name) {
    case 'payments':
      return (o) => benchPayments(o as never);
    case 'care-import':
      return ((await import(modulePath('care-import'))) as { benchCareImport: Bench }).benchCareImport;
    case 'statements': {
      const { benchStatements } = (await import(modulePath('statements'))) as {
        benchStatements: (o: { ds: unknown; dir: string; quick?: boolean }) => Promise<Record<string, unknown>>;
      };
      const { openDataSource } = await import('@dpb/persistence');
      return async (o) => {
        const ds = await openDataSource(String(o.databaseUrl));
        try {
          return await benchStatements({ ds, dir: String(o.dir), quick: Boolean(o.quick) });
        } finally {
          await ds.destroy();
        }
      };
    }
    case 'audit': {
      const { benchAudit } = (await import(modulePath('audit'))) as {
        benchAudit: (o: { ds: unknown; accounts?: number; txns?: number }) => Promise<Record<string, unknown>>;
      };
      const { openDataSource } = await import('@dpb/persistence');
      return async (o) => {
        const ds = await openDataSource(String(o.databaseUrl));
        try {
          return await benchAudit({ ds, accounts: Number(o.accounts), txns: Number(o.txns) });
        } finally {
          await ds.destroy();
        }
      };
    }
    case 'reconcile': {
      const { benchReconcile } = (await import(modulePath('reconcile'))) as {
        benchReconcile: (o: { ds: unknown; dps?: number }) => Promise<Record<string, unknown>>;
      };
      const { openDataSource } = await import('@dpb/persistence');
      return async (o) => {
        const ds = await openDataSource(String(o.databaseUrl));
        try {
          return await benchReconcile({ ds, dps: Number(o.dps) });
        } finally {
          await ds.destroy();
        }
      };
    }
    case 'parsers':
      return ((await import(modulePath('parsers'))) as { benchParsers: Bench }).benchParsers;
    case 'finance-files':
      return ((await import(modulePath('finance-files'))) as { benchFinanceFiles: Bench }).benchFinanceFiles;
    default:
      throw new Error(`unknown benchmark ${name}`);
  }
}

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const bench = await load(name);
  const result = await bench(JSON.parse(json ?? '{}'));
  process.stdout.write(`${JSON.stringify({ bench: name, ...result })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
