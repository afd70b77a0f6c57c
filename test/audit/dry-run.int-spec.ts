/**
 * Worked example (integration): a dry run computes the audit and writes nothing.
 *   DPA1 as of 2026-11-30 (window 2026-11-02..2026-11-30, the first audit):
 *   balance 481000 (see fixtures.ts); contingency 8 x (30000 - 4000) = 208000;
 *   surplus 481000 - 0 - 208000 = 273000; received 3 x 4000 = 12000;
 *   expected = the released lines' contributions for periods 11-02..11-30 (weekly lines of 4000:
 *   11-02, 11-09, 11-16, 11-23, 11-30 when the 11-25 run released it -> 5 x 4000 = 20000);
 *   missed = 20000 - 12000 = 8000; refund 0; councilExcess 273000.
 *   Flags: G1 MCC 7995, G2 SAFEGUARDING 7995, A1 CASH. DPB2 (bank, no statement held) is skipped.
 *   Nothing is written: no dp_audit row, and a real run afterwards finds the same figures.
 */
import { auditCouncil } from '@dpb/audit';
import { registerAuditCommands } from '../../apps/cli/src/audit-commands';
import { type Harness, specCli } from '../support/council-harness';
import { auditCouncilHarness, expectedFromLines } from './fixtures';

describe('audit: a dry run writes nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await auditCouncilHarness('AUDRY');
  }, 60_000);
  afterAll(async () => h?.close());

  const rows = async () => ((await h.ds.query(`SELECT count(*)::int AS n FROM dp_audit WHERE council = $1`, [h.code])) as { n: number }[])[0].n;

  it('computes every figure, stores none; the real run stores the same', async () => {
    // `all`: every DP, so DPB2 (no ledger) is considered and skipped; the night plans only DPs with a ledger.
    const opts = { council: h.code, settings: h.council.settings, asOf: '2026-11-30', all: true };
    const dry = await auditCouncil(h.ds, { ...opts, dryRun: true });
    expect(await rows()).toBe(0);
    expect(dry.audited).toBe(1);
    expect(dry.stored).toBe(0);
    expect(dry.skipped.NO_LEDGER).toBe(1);
    const f = dry.audits[0].figures;
    expect(f.dpId).toBe('DPA1');
    expect(f.window).toEqual({ from: '2026-11-02', to: '2026-11-30' });
    expect(f).toMatchObject({ balancePence: 481000n, contingencyPence: 208000n, surplusPence: 273000n, receivedContributionsPence: 12000n });
    expect(f.expectedContributionsPence).toBe(await expectedFromLines(h, '2026-11-30'));
    expect(f).toMatchObject({ expectedContributionsPence: 20000n, missedContributionsPence: 8000n, councilExcessPence: 273000n });
    expect(f.flags.map((x) => [x.txnId, x.kind])).toEqual([
      ['G1', 'MCC'],
      ['G2', 'SAFEGUARDING'],
      ['A1', 'CASH'],
    ]);

    // The same through the CLI: `audit run --dry-run --json` prints the figures, stores nothing.
    const out: string[] = [];
    const cli = specCli(h, registerAuditCommands, out);
    await cli.run('audit', 'run', '--council', h.code, '--as-of', '2026-11-30', '--dry-run', '--json');
    const printed = JSON.parse(out.join('\n'));
    expect(printed).toMatchObject({ dryRun: true, audited: 1, stored: 0, totals: { councilExcessPence: 273000, missedContributionsPence: 8000 } });
    expect(printed.audits[0]).toMatchObject({ dpId: 'DPA1', surplusPence: 273000, stored: false, auditId: null });
    expect(await rows()).toBe(0);

    const real = await auditCouncil(h.ds, opts);
    expect(await rows()).toBe(1);
    expect(real.audits[0].figures).toEqual(f);
    expect(real.audits[0].auditId).not.toBeNull();
  });
});
