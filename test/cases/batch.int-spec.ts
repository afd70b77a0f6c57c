/**
 * Findings recorded in a batch (`openOrUpdateMany`) against the real database: the same cases,
 * keys, evidence and history as recording them one by one (`openOrUpdate`), including the cases
 * of the batch itself (a duplicate key, a merge into a case the batch opened, a second case of a
 * DP, a PROPOSED case keeping its amount, escalation once); a second batch changes nothing; two
 * connections recording the same batch at once open one case per key, and batches whose kinds come
 * in opposite orders do not deadlock.
 *
 * Each part uses its own council code (cases are per council), so the parts compare like for like.
 */
import { DataSource } from 'typeorm';
import { openDataSource } from '@dpb/persistence';
import { CaseService, type CaseFinding, type FindingResult } from '@dpb/cases';
import { createHarness, type Harness } from '../support/council-harness';

type F = Omit<CaseFinding, 'council'>;
const f = (over: Partial<F> & Pick<F, 'kind' | 'dedupKey'>): F => ({
  dpId: 'DP1', amountPence: 1000n, on: '2026-11-30', evidence: [{ type: 'finding', id: over.dedupKey }], source: 'audit', mergeIntoActive: true, ...over,
});

/** Cases already there before the findings: DP1's OPEN shortfall and DP2's PROPOSED surplus. */
const before: F[] = [
  f({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:1', amountPence: 4000n, on: '2026-11-02', evidence: [{ type: 'audit', id: '1' }, { type: 'card_txn', id: 'T1' }] }),
  f({ kind: 'SURPLUS', dpId: 'DP2', dedupKey: 'audit:2', amountPence: 70000n, on: '2026-11-02' }),
];

const findings: F[] = [
  // Updates DP1's OPEN case: new amount, escalated (an ESCALATE event), T1 not appended twice.
  f({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:11', amountPence: 6000n, escalate: true, evidence: [{ type: 'audit', id: '11' }, { type: 'card_txn', id: 'T2' }, { type: 'card_txn', id: 'T1' }], detail: { streak: 2 } }),
  // Updates it again: no amount (kept), an earlier date (updated_on kept), already escalated.
  f({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:12', amountPence: null, on: '2026-11-20', escalate: true, detail: { streak: 3, note: 'x' } }),
  // DP2's case is PROPOSED: the finding joins it, the amount stays the officer's.
  f({ kind: 'SURPLUS', dpId: 'DP2', dedupKey: 'audit:13', amountPence: 99999n }),
  // DP3: a case opened without merging, then a merge into it (new in this batch), then the same key again.
  f({ kind: 'SPEND_FLAG', dpId: 'DP3', dedupKey: 'flag:1', amountPence: 100n, mergeIntoActive: false }),
  f({ kind: 'SPEND_FLAG', dpId: 'DP3', dedupKey: 'flag:2', amountPence: 200n, escalate: true, on: '2026-12-07', evidence: [{ type: 'card_txn', id: 'G1' }] }),
  f({ kind: 'SPEND_FLAG', dpId: 'DP3', dedupKey: 'flag:1', amountPence: 100n, mergeIntoActive: false }),
  // No DP.
  f({ kind: 'PAYMENT_UNCONFIRMED', dpId: null, dedupKey: 'card_load:9', amountPence: 500n, source: 'reconcile', mergeIntoActive: false, evidence: [{ type: 'credit', id: '9' }] }),
  // A key already recorded before.
  f({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:1', amountPence: 1n }),
  f({ kind: 'REVIEW_OVERDUE', dpId: 'DP4', dedupKey: 'audit:14', amountPence: null }),
  // DP3 again: a second case (not merged), then a merge: it goes to the newest.
  f({ kind: 'SPEND_FLAG', dpId: 'DP3', dedupKey: 'flag:3', amountPence: 300n, mergeIntoActive: false }),
  f({ kind: 'SPEND_FLAG', dpId: 'DP3', dedupKey: 'flag:4', amountPence: 400n, evidence: [{ type: 'card_txn', id: 'G4' }, { type: 'card_txn', id: 'G4' }] }),
];

const inCouncil = (council: string, fs: readonly F[]): CaseFinding[] => fs.map((x) => ({ ...x, council }));

/** Outcomes with case ids replaced by the order the cases were first seen in. */
function outcomes(rs: readonly FindingResult[]): string[] {
  const labels = new Map<string, string>();
  return rs.map((r) => {
    if (!labels.has(r.caseId)) labels.set(r.caseId, `case${labels.size + 1}`);
    return `${labels.get(r.caseId)}:${r.outcome}`;
  });
}

/** Everything recorded for a council, ids replaced by the cases' order. */
async function recorded(ds: DataSource, council: string): Promise<unknown[]> {
  const cases: Record<string, unknown>[] = await ds.query(
    `SELECT id, dp_id, kind, status, amount_pence, opened_on, updated_on, escalated, source, detail, proposed_by FROM officer_case WHERE council = $1 ORDER BY id`,
    [council],
  );
  const out: unknown[] = [];
  for (const c of cases) {
    const id = c.id as string;
    const q = (sql: string) => ds.query(sql, [id]) as Promise<Record<string, unknown>[]>;
    out.push({
      ...c,
      id: undefined,
      keys: (await q(`SELECT dedup_key FROM officer_case_key WHERE case_id = $1 ORDER BY dedup_key`)).map((r) => r.dedup_key),
      evidence: (await q(`SELECT type, ref FROM officer_case_evidence WHERE case_id = $1 ORDER BY seq`)).map((r) => `${String(r.type)}:${String(r.ref)}`),
      history: await q(`SELECT actor, action, outcome, status_before, status_after, amount_pence, reason, detail FROM officer_case_event WHERE case_id = $1 ORDER BY id`),
    });
  }
  return out;
}

describe('officer cases recorded in a batch (CS2)', () => {
  let h: Harness;
  let other: DataSource;
  beforeAll(async () => {
    h = await createHarness('CS2');
    other = await openDataSource(h.env.DATABASE_URL);
  });
  afterAll(async () => {
    await other?.destroy();
    await h?.close();
  });

  /** The cases before the findings, in `council`: the surplus proposed by an officer. */
  async function prepare(council: string): Promise<void> {
    const cases = new CaseService(h.ds);
    const [, surplus] = await cases.openOrUpdateMany(inCouncil(council, before));
    await cases.propose(surplus.caseId, 'Ann Officer');
  }

  /** Two councils with the same cases before; the findings recorded one at a time in the first. */
  async function oneAtATime(first: string, second: string): Promise<{ one: string; many: string; single: FindingResult[] }> {
    const [one, many] = [`${h.code}${first}`, `${h.code}${second}`];
    await prepare(one);
    await prepare(many);
    const single: FindingResult[] = [];
    for (const x of inCouncil(one, findings)) single.push(await new CaseService(h.ds).openOrUpdate(x));
    return { one, many, single };
  }

  it('records the same cases, keys, evidence and history as one finding at a time; a second batch changes nothing', async () => {
    const { one, many, single } = await oneAtATime('A', 'B');
    const cases = new CaseService(h.ds);
    const batch = await cases.openOrUpdateMany(inCouncil(many, findings));

    expect(outcomes(batch)).toEqual(outcomes(single));
    expect(outcomes(batch)).toEqual([
      'case1:UPDATED', 'case1:UPDATED', 'case2:UPDATED', 'case3:OPENED', 'case3:UPDATED', 'case3:UNCHANGED',
      'case4:OPENED', 'case1:UNCHANGED', 'case5:OPENED', 'case6:OPENED', 'case6:UPDATED',
    ]);
    const state = await recorded(h.ds, many);
    expect(state).toEqual(await recorded(h.ds, one));
    // What that state is, for DP1's shortfall and DP3's first flag case.
    expect(state[0]).toMatchObject({
      kind: 'MISSED_CONTRIBUTIONS', amount_pence: '6000', escalated: true, opened_on: '2026-11-02', updated_on: '2026-11-30', detail: { streak: 3, note: 'x' },
      keys: ['audit:1', 'audit:11', 'audit:12'], evidence: ['audit:1', 'card_txn:T1', 'audit:11', 'card_txn:T2', 'finding:audit:12'],
    });
    expect((state[0] as { history: { action: string }[] }).history.map((e) => e.action)).toEqual(['OPEN', 'UPDATE', 'ESCALATE', 'UPDATE']);
    expect(state[1]).toMatchObject({ kind: 'SURPLUS', status: 'PROPOSED', amount_pence: '70000', proposed_by: 'Ann Officer', keys: ['audit:13', 'audit:2'] });
    expect(state[2]).toMatchObject({ kind: 'SPEND_FLAG', dp_id: 'DP3', amount_pence: '200', escalated: true, updated_on: '2026-12-07', keys: ['flag:1', 'flag:2'] });

    const again = await cases.openOrUpdateMany(inCouncil(many, findings));
    expect(again.map((r) => r.outcome)).toEqual(findings.map(() => 'UNCHANGED'));
    expect(again.map((r) => r.caseId)).toEqual(batch.map((r) => r.caseId));
    expect(await recorded(h.ds, many)).toEqual(state);
  });

  it('two connections recording the same batch at once open one case per key, with the history of one writer', async () => {
    const { one, many: racing } = await oneAtATime('C', 'D');
    const [a, b] = await Promise.all([new CaseService(h.ds).openOrUpdateMany(inCouncil(racing, findings)), new CaseService(other).openOrUpdateMany(inCouncil(racing, findings))]);
    const [first, second] = a.some((r) => r.outcome !== 'UNCHANGED') ? [a, b] : [b, a];
    expect(second.map((r) => r.outcome)).toEqual(findings.map(() => 'UNCHANGED'));
    expect(second.map((r) => r.caseId)).toEqual(first.map((r) => r.caseId));
    expect(await recorded(h.ds, racing)).toEqual(await recorded(h.ds, one));
  });

  it('batches taking kinds in opposite orders wait for each other, never deadlock', async () => {
    const council = `${h.code}E`;
    const kinds = ['SURPLUS', 'SPEND_FLAG', 'SAFEGUARDING', 'REVIEW_OVERDUE'] as const;
    const batch = kinds.flatMap((kind) => Array.from({ length: 50 }, (_, i) => f({ kind, dpId: `DP${i}`, dedupKey: `k:${i}` })));
    const [a, b] = await Promise.all([
      new CaseService(h.ds).openOrUpdateMany(inCouncil(council, batch)),
      new CaseService(other).openOrUpdateMany(inCouncil(council, [...batch].reverse())),
    ]);
    expect([...a, ...b].filter((r) => r.outcome === 'OPENED')).toHaveLength(batch.length);
    const [{ n }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM officer_case WHERE council = $1`, [council]);
    expect(n).toBe(batch.length);
  });
});
