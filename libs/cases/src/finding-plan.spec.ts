/**
 * Worked example (pure): DP1 has a PROPOSED surplus case 7 (not escalated). One batch:
 *   1. surplus `audit:2` 500      -> UPDATED 7 (PROPOSED: the amount stays the officer's)
 *   2. surplus `audit:3` escalate -> UPDATED 7, escalated: an ESCALATE event
 *   3. shortfall `audit:2` 100, no merge -> OPENED (a new case; the key is per kind)
 *   4. shortfall `audit:4` 300   -> UPDATED the case 3 opened (amount 300, later date kept)
 *   5. surplus `audit:1` (recorded for case 7 before) -> UNCHANGED
 * Case 7 gets one row update (escalated, updated_on 2026-12-07, both details); the new case is
 * written once with amount 300.
 */
import type { CaseFinding } from './model';
import { keyOf, planFindings, subjectOf, type ActiveCase } from './finding-plan';

const finding = (over: Partial<CaseFinding> & Pick<CaseFinding, 'kind' | 'dedupKey'>): CaseFinding => ({
  council: 'C1', dpId: 'DP1', amountPence: null, on: '2026-11-30', evidence: [{ type: 'audit', id: over.dedupKey }], source: 'audit', mergeIntoActive: true, ...over,
});

describe('planFindings', () => {
  it('records a batch as one finding after another would', () => {
    const active: ActiveCase = { id: '7', council: 'C1', dpId: 'DP1', kind: 'SURPLUS', status: 'PROPOSED', escalated: false, updatedOn: '2026-11-02' };
    const plan = planFindings(
      [
        finding({ kind: 'SURPLUS', dedupKey: 'audit:2', amountPence: 500n, detail: { a: 1 } }),
        finding({ kind: 'SURPLUS', dedupKey: 'audit:3', escalate: true, on: '2026-12-07', detail: { b: 2 } }),
        finding({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:2', amountPence: 100n, mergeIntoActive: false }),
        finding({ kind: 'MISSED_CONTRIBUTIONS', dedupKey: 'audit:4', amountPence: 300n, on: '2026-11-20' }),
        finding({ kind: 'SURPLUS', dedupKey: 'audit:1', amountPence: 1n }),
      ],
      new Map([[keyOf('C1', 'SURPLUS', 'audit:1'), '7']]),
      new Map([[subjectOf('C1', 'DP1', 'SURPLUS'), active]]),
    );
    const opened = plan.opened[0];
    expect(plan.results.map((r) => [r.target === opened ? 'new' : r.target.id, r.outcome])).toEqual([
      ['7', 'UPDATED'], ['7', 'UPDATED'], ['new', 'OPENED'], ['new', 'UPDATED'], ['7', 'UNCHANGED'],
    ]);
    expect(plan.updated).toEqual([expect.objectContaining({ id: '7', status: 'PROPOSED', amountPence: null, escalated: true, updatedOn: '2026-12-07', detail: { a: 1, b: 2 } })]);
    expect(plan.opened).toEqual([expect.objectContaining({ id: null, kind: 'MISSED_CONTRIBUTIONS', amountPence: 300n, openedOn: '2026-11-30', updatedOn: '2026-11-30' })]);
    expect(plan.keys.map((k) => [k.kind, k.dedupKey, k.mustBeNew])).toEqual([
      ['SURPLUS', 'audit:2', false], ['SURPLUS', 'audit:3', false], ['MISSED_CONTRIBUTIONS', 'audit:2', true], ['MISSED_CONTRIBUTIONS', 'audit:4', false],
    ]);
    expect(plan.events.map((e) => [e.target === opened ? 'new' : e.target.id, e.action, e.statusBefore, e.statusAfter, e.amountPence])).toEqual([
      ['7', 'UPDATE', 'PROPOSED', 'PROPOSED', 500n],
      ['7', 'UPDATE', 'PROPOSED', 'PROPOSED', null],
      ['7', 'ESCALATE', 'PROPOSED', 'PROPOSED', null],
      ['new', 'OPEN', null, 'OPEN', 100n],
      ['new', 'UPDATE', 'OPEN', 'OPEN', 300n],
    ]);
  });
});
