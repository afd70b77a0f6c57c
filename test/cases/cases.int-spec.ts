/**
 * Officer cases against the real database: a finding opens one case, ever (re-runs and
 * concurrent writers find its key); the audit's "update the DP's active case" merge; the
 * workflow with four eyes (service, database check, CLI and ops API); every step in the history
 * under the person who took it, refusals included.
 */
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OfficerRefusal } from '@dpb/payments/officer';
import { CaseService, type CaseFinding } from '@dpb/cases';
import { OpsBasicAuthGuard } from '@dpb/pipeline/nest/officer.controller';
import { CasesController } from '@dpb/pipeline/nest/cases.controller';
import { ENV } from '@dpb/pipeline';
import { registerCaseCommands } from '../../apps/cli/src/case-commands';
import { createHarness, type Harness, specCli } from '../support/council-harness';

/** The OfficerRefusal a request ended with (any other outcome fails the test). */
const refusal = (p: Promise<unknown>): Promise<OfficerRefusal> =>
  p.then(
    () => Promise.reject(new Error('expected a refusal')),
    (e: unknown) => (e instanceof OfficerRefusal ? e : Promise.reject(e)),
  );

const finding = (h: Harness, over: Partial<CaseFinding> = {}): CaseFinding => ({
  council: h.code,
  dpId: 'DP1',
  kind: 'PAYMENT_UNCONFIRMED',
  dedupKey: 'line:1',
  amountPence: 12000n,
  on: '2026-11-20',
  evidence: [{ type: 'payment_line', id: '1' }],
  source: 'reconcile',
  ...over,
});

describe('officer cases (CS1)', () => {
  let h: Harness;
  let cases: CaseService;
  beforeAll(async () => {
    h = await createHarness('CS1');
    cases = new CaseService(h.ds);
  });
  afterAll(() => h.close());

  it('opens one case per finding: the same key again, or from eight writers at once, opens nothing', async () => {
    const first = await cases.openOrUpdate(finding(h));
    expect(first.outcome).toBe('OPENED');
    expect(await cases.openOrUpdate(finding(h))).toEqual({ caseId: first.caseId, outcome: 'UNCHANGED' });
    const racing = await Promise.all(Array.from({ length: 8 }, () => cases.openOrUpdate(finding(h, { dedupKey: 'line:2', evidence: [{ type: 'payment_line', id: '2' }] }))));
    expect(racing.filter((r) => r.outcome === 'OPENED')).toHaveLength(1);
    expect(new Set(racing.map((r) => r.caseId)).size).toBe(1);
    const list = await cases.list({ council: h.code, kind: 'PAYMENT_UNCONFIRMED' });
    expect(list.map((c) => [c.dpId, c.status, c.amountPence, c.evidence])).toEqual([
      ['DP1', 'OPEN', 12000n, [{ type: 'payment_line', id: '2' }]],
      ['DP1', 'OPEN', 12000n, [{ type: 'payment_line', id: '1' }]],
    ]);
    // The database refuses a second row for a key, whatever the code does.
    await expect(h.ds.query(`INSERT INTO officer_case_key (council, kind, dedup_key, case_id) VALUES ($1, 'PAYMENT_UNCONFIRMED', 'line:1', $2)`, [h.code, first.caseId])).rejects.toThrow(/duplicate key/);
  });

  it("a later audit's finding updates the DP's active case (amount, evidence, escalation) instead of opening another", async () => {
    const audit = (window: string, amount: bigint, txn: string, escalate = false) =>
      cases.openOrUpdate(finding(h, {
        dpId: 'DP9', kind: 'MISSED_CONTRIBUTIONS', dedupKey: `dp:DP9:${window}`, amountPence: amount, source: 'audit', mergeIntoActive: true, escalate,
        evidence: [{ type: 'audit', id: window }, { type: 'card_txn', id: txn }],
      }));
    const a = await audit('2026-11-02..2026-11-30', 4000n, 'T1');
    const b = await audit('2026-12-01..2026-12-31', 6000n, 'T2', true);
    expect(a.outcome).toBe('OPENED');
    expect(b).toEqual({ caseId: a.caseId, outcome: 'UPDATED' });
    expect(await audit('2026-12-01..2026-12-31', 6000n, 'T2', true)).toEqual({ caseId: a.caseId, outcome: 'UNCHANGED' });
    const c = await cases.show(a.caseId);
    expect(c).toMatchObject({ amountPence: 6000n, escalated: true, openedOn: '2026-11-20', status: 'OPEN' });
    expect(c.evidence.map((e) => `${e.type}:${e.id}`)).toEqual(['audit:2026-11-02..2026-11-30', 'card_txn:T1', 'audit:2026-12-01..2026-12-31', 'card_txn:T2']);
    expect(c.history.map((e) => [e.actor, e.action])).toEqual([['system:audit', 'OPEN'], ['system:audit', 'UPDATE'], ['system:audit', 'ESCALATE']]);
    // Once closed, the next audit's shortfall is a new case.
    await cases.close(a.caseId, 'Ann Officer');
    expect((await audit('2027-01-01..2027-01-31', 2000n, 'T3')).outcome).toBe('OPENED');
  });

  it('proposes (amount amended), refuses approval by the proposer, approves by a second officer; all in the history', async () => {
    const { caseId } = await cases.openOrUpdate(finding(h, { kind: 'OVERPAYMENT', dedupKey: 'recovery:7', amountPence: 50000n }));
    expect((await refusal(cases.approve(caseId, 'Bob Officer'))).code).toBe('CASE_STATUS');
    expect(await cases.propose(caseId, 'Ann Officer', { amountPence: 45000n })).toMatchObject({ outcome: 'DONE', status: 'PROPOSED', amountPence: 45000n });
    const fourEyes = await refusal(cases.approve(caseId, '  ann   OFFICER '));
    expect(fourEyes.code).toBe('FOUR_EYES');
    expect(fourEyes.message).toBe(`case ${caseId}: the officer who proposed the case may not approve it (four-eyes rule)`);
    expect((await refusal(cases.reject(caseId, 'Ann Officer'))).code).toBe('FOUR_EYES');
    expect(await cases.approve(caseId, 'Bob Officer')).toMatchObject({ outcome: 'DONE', status: 'APPROVED', amountPence: 45000n, by: 'Bob Officer' });
    expect((await cases.approve(caseId, 'Bob Officer')).outcome).toBe('ALREADY_DONE');
    expect((await refusal(cases.propose(caseId, 'Cat Officer'))).code).toBe('CASE_STATUS');
    expect((await refusal(cases.approve('999999999', 'Bob Officer'))).code).toBe('NOT_FOUND');
    expect((await refusal(cases.approve(caseId, ''))).code).toBe('BAD_INPUT');
    expect((await cases.close(caseId, 'Cat Officer')).status).toBe('CLOSED');
    const c = await cases.show(caseId);
    expect(c).toMatchObject({ proposedBy: 'Ann Officer', decidedBy: 'Bob Officer', closedBy: 'Cat Officer' });
    expect(c.history.map((e) => [e.actor, e.action, e.outcome, e.statusBefore, e.statusAfter, e.amountPence, e.reason])).toEqual([
      ['system:reconcile', 'OPEN', 'DONE', null, 'OPEN', 50000n, null],
      ['Bob Officer', 'APPROVE', 'REFUSED', 'OPEN', 'OPEN', null, 'CASE_STATUS'],
      ['Ann Officer', 'PROPOSE', 'DONE', 'OPEN', 'PROPOSED', 45000n, null],
      ['ann OFFICER', 'APPROVE', 'REFUSED', 'PROPOSED', 'PROPOSED', null, 'FOUR_EYES'],
      ['Ann Officer', 'REJECT', 'REFUSED', 'PROPOSED', 'PROPOSED', null, 'FOUR_EYES'],
      ['Bob Officer', 'APPROVE', 'DONE', 'PROPOSED', 'APPROVED', 45000n, null],
      ['Bob Officer', 'APPROVE', 'ALREADY_DONE', 'APPROVED', 'APPROVED', 45000n, null],
      ['Cat Officer', 'PROPOSE', 'REFUSED', 'APPROVED', 'APPROVED', null, 'CASE_STATUS'],
      ['Cat Officer', 'CLOSE', 'DONE', 'APPROVED', 'CLOSED', 45000n, null],
    ]);
  });

  it('the database itself refuses an approval recorded under the proposer, or without a proposal, and any change to the history', async () => {
    const { caseId } = await cases.openOrUpdate(finding(h, { kind: 'SURPLUS', dedupKey: 'dp:DP1:w1', dpId: 'DP1' }));
    // ...nor one never proposed.
    await expect(h.ds.query(`UPDATE officer_case SET status = 'APPROVED', decided_by = 'Bob Officer' WHERE id = $1`, [caseId])).rejects.toThrow(/check constraint/);
    await cases.propose(caseId, 'Ann Officer');
    await expect(h.ds.query(`UPDATE officer_case SET status = 'APPROVED', decided_by = 'ANN officer' WHERE id = $1`, [caseId])).rejects.toThrow(/check constraint/);
    // The history is append-only.
    await expect(h.ds.query(`UPDATE officer_case_event SET actor = 'someone else' WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
    await expect(h.ds.query(`DELETE FROM officer_case_event WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
  });

  it('DEATH cases not yet closed name the DPs to hold; closing lifts it', async () => {
    const { caseId } = await cases.openOrUpdate(finding(h, {
      kind: 'DEATH', dpId: 'DPD1', dedupKey: 'return:5', amountPence: null, evidence: [{ type: 'bank_return', id: '5' }, { type: 'dp', id: 'DPD1' }, { type: 'dp', id: 'DPD2' }],
    }));
    expect([...(await cases.dpsHeldForDeath(h.code))].sort()).toEqual(['DPD1', 'DPD2']);
    await cases.propose(caseId, 'Ann Officer');
    expect((await cases.dpsHeldForDeath(h.code)).size).toBe(2);
    await cases.close(caseId, 'Bob Officer', { reason: 'death confirmed, DPs ended in Mosaic' });
    expect((await cases.dpsHeldForDeath(h.code)).size).toBe(0);
  });

  it('dpbridge cases list --json prints the documented shape; propose/approve through the CLI refuse the proposer', async () => {
    const cli = specCli(h, registerCaseCommands);
    const out = cli.out;
    const { caseId } = await cases.openOrUpdate(finding(h, { kind: 'UNEXPECTED_CREDIT', dpId: null, dedupKey: 'card_txn:L9', amountPence: 7700n, evidence: [{ type: 'card_txn', id: 'L9' }] }));
    await cli.run('cases', 'list', '--council', h.code, '--kind', 'UNEXPECTED_CREDIT', '--json');
    const printed = JSON.parse(out.join('\n')) as { cases: Record<string, unknown>[] };
    expect(printed.cases).toEqual([
      expect.objectContaining({ id: caseId, council: h.code, dpId: null, kind: 'UNEXPECTED_CREDIT', status: 'OPEN', amountPence: 7700, openedOn: '2026-11-20', evidence: [{ type: 'card_txn', id: 'L9' }] }),
    ]);
    out.length = 0;
    await cli.run('cases', 'propose', caseId, '--officer', 'Ann Officer', '--amount', '70.00');
    expect(out).toEqual([`case ${caseId} (${h.code} UNEXPECTED_CREDIT) now PROPOSED, amount 70.00 (by Ann Officer)`]);
    await expect(cli.run('cases', 'approve', caseId, '--officer', 'Ann Officer')).rejects.toThrow(/refused \(FOUR_EYES\)/);
    out.length = 0;
    await cli.run('cases', 'show', caseId, '--json');
    expect(JSON.parse(out.join('\n'))).toMatchObject({ id: caseId, status: 'PROPOSED', amountPence: 7000, proposedBy: 'Ann Officer' });
  });

  describe('through the ops API', () => {
    let app: INestApplication;
    let base: string;
    const auth = { Authorization: `Basic ${Buffer.from('ops:test-password-123').toString('base64')}`, 'Content-Type': 'application/json' };
    beforeAll(async () => {
      const mod = await Test.createTestingModule({
        controllers: [CasesController],
        providers: [{ provide: DataSource, useValue: h.ds }, { provide: ENV, useValue: h.env }, OpsBasicAuthGuard],
      }).compile();
      app = mod.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      base = `${await app.getUrl()}/api/cases`.replace('[::1]', '127.0.0.1');
    });
    afterAll(() => app.close());

    it('lists, proposes with X-Officer, refuses the proposer (409 FOUR_EYES), approves by another', async () => {
      expect((await fetch(`${base}?council=${h.code}`)).status).toBe(401);
      const { caseId } = await cases.openOrUpdate(finding(h, { kind: 'RETURNED_PAYMENT', dedupKey: 'return:77', amountPence: 9900n }));
      const list = (await (await fetch(`${base}?council=${h.code}&kind=RETURNED_PAYMENT`, { headers: auth })).json()) as { cases: { id: string; amountPence: number }[] };
      expect(list.cases).toEqual([expect.objectContaining({ id: caseId, amountPence: 9900 })]);
      expect((await fetch(`${base}/${caseId}/propose`, { method: 'POST', headers: auth })).status).toBe(400);
      const proposed = await fetch(`${base}/${caseId}/propose`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Ann Officer' }, body: JSON.stringify({ amountPence: 9000 }) });
      expect(await proposed.json()).toMatchObject({ status: 'PROPOSED', amountPence: 9000 });
      const refused = await fetch(`${base}/${caseId}/approve`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Ann Officer' } });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: 'FOUR_EYES' });
      const approved = await fetch(`${base}/${caseId}/approve`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Bob Officer' } });
      expect(await approved.json()).toMatchObject({ status: 'APPROVED', by: 'Bob Officer' });
      expect((await fetch(`${base}/999999999`, { headers: auth })).status).toBe(404);
    });
  });
});
