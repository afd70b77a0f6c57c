/**
 * Worked example (integration): an audit's findings become cases; the next audit updates them.
 *   Audit 1, night 2026-11-30 (see fixtures.ts and dry-run.int-spec.ts for the figures):
 *     SURPLUS 273000 (councilExcess; review due 2027-05-02, not overdue),
 *     MISSED_CONTRIBUTIONS 8000 (20000 expected - 12000 received; streak 1, not escalated),
 *     SPEND_FLAG 11000 (G1 1000 + A1 10000), SAFEGUARDING 5000 (G2). No refund, no review case.
 *   An officer records unpaid wages of £500.00 owed from 2026-12-01 (CLI), the 2026-12-02 run
 *   releases the 12-07 week. Audit 2, night 2026-12-07 (window 12-01..12-07):
 *     balance 481000, liabilities 50000, contingency 208000 -> surplus = councilExcess 223000;
 *     expected 6 x 4000 = 24000, received 12000 -> missed 12000, streak 2 -> escalated.
 *     The SURPLUS and MISSED_CONTRIBUTIONS cases are UPDATED (same ids, new amounts, evidence
 *     appended), no second case opens. Running the same night again writes nothing new.
 *   The liability is removed through the ops API from 2026-12-08: `audit show --as-of 2026-12-09`
 *   computes (without storing) a surplus of 273000 again.
 */
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createPaymentRun } from '@dpb/payments';
import { CaseService } from '@dpb/cases';
import { auditCouncil, openAuditCases } from '@dpb/audit';
import { COUNCILS, ENV } from '@dpb/pipeline';
import { OpsBasicAuthGuard } from '@dpb/pipeline/nest/officer.controller';
import { AuditController } from '@dpb/pipeline/nest/audit.controller';
import { registerAuditCommands } from '../../apps/cli/src/audit-commands';
import { type Harness, specCli, type SpecCli } from '../support/council-harness';
import { auditCouncilHarness, expectedFromLines } from './fixtures';

describe('audit: findings as cases, liabilities, a later audit updates the open cases', () => {
  let h: Harness;
  const out: string[] = [];
  let cli: SpecCli;
  beforeAll(async () => {
    h = await auditCouncilHarness('AUDCS');
    cli = specCli(h, registerAuditCommands, out);
  }, 60_000);
  afterAll(async () => h?.close());

  const cases = () => new CaseService(h.ds).list({ council: h.code });
  const byKind = async () => Object.fromEntries((await cases()).map((c) => [c.kind, c]));
  const nightly = (asOf: string) => auditCouncil(h.ds, { council: h.code, settings: h.council.settings, asOf, findings: openAuditCases });

  it('audit 1 opens one case per finding', async () => {
    const r = await nightly('2026-11-30');
    expect(r.stored).toBe(1);
    const k = await byKind();
    expect(Object.keys(k).sort()).toEqual(['MISSED_CONTRIBUTIONS', 'SAFEGUARDING', 'SPEND_FLAG', 'SURPLUS']);
    expect(k.SURPLUS).toMatchObject({ status: 'OPEN', amountPence: 273000n, dpId: 'DPA1', openedOn: '2026-11-30' });
    expect(k.SURPLUS.detail).toMatchObject({ reviewOverdue: false, reviewDue: '2027-05-02' });
    expect(k.MISSED_CONTRIBUTIONS).toMatchObject({ amountPence: 8000n, escalated: false });
    expect(k.SPEND_FLAG.amountPence).toBe(11000n);
    expect(k.SPEND_FLAG.evidence).toEqual([{ type: 'audit', id: r.audits[0].auditId }, { type: 'card_txn', id: 'G1' }, { type: 'card_txn', id: 'A1' }]);
    expect(k.SAFEGUARDING).toMatchObject({ amountPence: 5000n, evidence: [{ type: 'audit', id: r.audits[0].auditId }, { type: 'card_txn', id: 'G2' }] });
  });

  it('a liability recorded by an officer (CLI) is taken off the next audit; the open cases are updated, not duplicated', async () => {
    out.length = 0;
    await cli.run('liabilities', 'add', '--council', h.code, '--dp', 'DPA1', '--kind', 'wages', '--amount', '500.00', '--owed-on', '2026-12-01', '--officer', 'Ann Officer');
    expect(out[0]).toMatch(/^liability \d+ recorded: AUDCS DPA1 WAGES 50000p owed from 2026-12-01 \(by Ann Officer\)$/);
    await expect(cli.run('liabilities', 'add', '--council', h.code, '--dp', 'NOPE', '--kind', 'HMRC', '--amount', '1.00', '--officer', 'Ann Officer')).rejects.toThrow(/NOT_FOUND/);
    const trail: { outcome: string; officer: string }[] = await h.ds.query(`SELECT outcome, officer FROM liability_action WHERE council = $1 ORDER BY id`, [h.code]);
    expect(trail).toEqual([{ outcome: 'DONE', officer: 'Ann Officer' }, { outcome: 'REFUSED', officer: 'Ann Officer' }]);

    await createPaymentRun(h.ds, { council: h.code, runDate: '2026-12-02', settings: h.council.settings });
    const before = await byKind();
    const r = await nightly('2026-12-07');
    expect(r.stored).toBe(1);
    const f = r.audits[0].figures;
    expect(f.window).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(f.liabilitiesPence).toBe(50000n);
    expect(f.surplusPence).toBe(223000n);
    expect(f.expectedContributionsPence).toBe(await expectedFromLines(h, '2026-12-07'));
    expect(f).toMatchObject({ expectedContributionsPence: 24000n, missedContributionsPence: 12000n, missedEscalated: true });

    const after = await byKind();
    expect((await cases()).length).toBe(4);
    expect(after.SURPLUS).toMatchObject({ id: before.SURPLUS.id, amountPence: 223000n });
    expect(after.MISSED_CONTRIBUTIONS).toMatchObject({ id: before.MISSED_CONTRIBUTIONS.id, amountPence: 12000n, escalated: true });
    expect(after.SURPLUS.evidence).toEqual(expect.arrayContaining([{ type: 'audit', id: r.audits[0].auditId }]));

    const again = await nightly('2026-12-07');
    expect(again.stored).toBe(0);
    expect(again.audited).toBe(0);
    expect(await byKind()).toEqual(after);
  });

  it('show: the stored audit as JSON (CLI), and one computed as of a later date through the API after the liability is removed', async () => {
    out.length = 0;
    await cli.run('audit', 'show', '--council', h.code, '--dp', 'DPA1', '--json');
    const shown = JSON.parse(out.join('\n'));
    expect(shown).toMatchObject({
      council: h.code, dpId: 'DPA1', window: { from: '2026-12-01', to: '2026-12-07' }, balancePence: 481000, expectedContributionsPence: 24000,
      receivedContributionsPence: 12000, liabilitiesPence: 50000, contingencyPence: 208000, surplusPence: 223000, contributionRefundPence: 0,
      councilExcessPence: 223000, missedContributionsPence: 12000, flags: [], review: { due: '2027-05-02', overdue: false },
    });

    const mod = await Test.createTestingModule({
      controllers: [AuditController],
      providers: [{ provide: DataSource, useValue: h.ds }, { provide: ENV, useValue: h.env }, { provide: COUNCILS, useValue: new Map([[h.code, h.council]]) }, OpsBasicAuthGuard],
    }).compile();
    const app: INestApplication = mod.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const base = `${await app.getUrl()}/api`.replace('[::1]', '127.0.0.1');
      const auth = { Authorization: `Basic ${Buffer.from('ops:test-password-123').toString('base64')}` };
      const list = (await (await fetch(`${base}/liabilities?council=${h.code}`, { headers: auth })).json()) as { liabilities: { id: string }[] };
      expect(list.liabilities).toHaveLength(1);
      expect((await fetch(`${base}/liabilities/${list.liabilities[0].id}/remove`, { method: 'POST', headers: auth })).status).toBe(400);
      const removed = await fetch(`${base}/liabilities/${list.liabilities[0].id}/remove`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Bob Officer' } });
      expect(removed.status).toBe(200);
      expect(await removed.json()).toMatchObject({ outcome: 'DONE', liability: { removedBy: 'Bob Officer' } });
      // Removed "today" by the clock; as of a date after today it no longer counts.
      const [{ today }]: { today: string }[] = await h.ds.query(`SELECT removed_on::text AS today FROM dp_liability WHERE id = $1`, [list.liabilities[0].id]);
      const asOf = today > '2026-12-09' ? today : '2026-12-09';
      const later = (await (await fetch(`${base}/audits/${h.code}/DPA1?asOf=${asOf}`, { headers: auth })).json()) as { surplusPence: number; contingencyPence: number };
      expect(later).toMatchObject({ stored: false, liabilitiesPence: 0, window: { from: '2026-12-08', to: asOf } });
      expect(later.surplusPence).toBe(481000 - later.contingencyPence);
      expect(((await h.ds.query(`SELECT count(*)::int AS n FROM dp_audit WHERE council = $1`, [h.code])) as { n: number }[])[0].n).toBe(2);
    } finally {
      await app.close();
    }
  });
});
