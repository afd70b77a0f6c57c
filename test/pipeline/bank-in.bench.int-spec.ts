/**
 * Runs the statements bench (bench/statements.bench.ts) against the test stack when DPB_BENCH=1;
 * skipped otherwise (it takes about a minute). Checks the bar: 1,000,000 card rows in < 60 s.
 */
import * as os from 'node:os';
import type { DataSource } from 'typeorm';
import { benchStatements } from '../../bench/statements.bench';
import { openTestDataSource, stackConfigured } from '../support/council-harness';

const enabled = stackConfigured && process.env.DPB_BENCH === '1';
const d = enabled ? describe : describe.skip;
if (!enabled) console.warn('bank-in.bench.int-spec: set DPB_BENCH=1 (with the test stack) to run the statements bench; skipping');

d('statements bench', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(async () => {
    await ds?.destroy();
  });
  it('imports 1,000,000 card rows in under 60 s and a large camt.053 with bounded memory', async () => {
    const r = await benchStatements({ ds, dir: os.tmpdir(), camtMegabytes: Number(process.env.DPB_BENCH_CAMT_MB ?? 200), cardRows: Number(process.env.DPB_BENCH_ROWS ?? 1000000) });
    console.warn(JSON.stringify(r, null, 2));
    expect(r['cards-csv']).toMatchObject({ rows: 1_000_000, under60s: true });
  }, 600_000);
});
