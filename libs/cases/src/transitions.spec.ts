import { caseTransition, type CaseState } from './transitions';

const state = (status: CaseState['status'], proposedBy: string | null = null, decidedBy: string | null = null): CaseState => ({ status, proposedBy, decidedBy, closedBy: null });

describe('case workflow (caseTransition)', () => {
  it('proposes an OPEN, PROPOSED (amended) or REJECTED case, never an APPROVED or CLOSED one', () => {
    expect(caseTransition(state('OPEN'), 'PROPOSE', 'Ann')).toEqual({ kind: 'DONE', next: 'PROPOSED' });
    expect(caseTransition(state('PROPOSED', 'Ann'), 'PROPOSE', 'Bob')).toEqual({ kind: 'DONE', next: 'PROPOSED' });
    expect(caseTransition(state('REJECTED', 'Ann', 'Bob'), 'PROPOSE', 'Ann')).toEqual({ kind: 'DONE', next: 'PROPOSED' });
    expect(caseTransition(state('APPROVED', 'Ann', 'Bob'), 'PROPOSE', 'Cat')).toMatchObject({ kind: 'REFUSED', code: 'CASE_STATUS' });
    expect(caseTransition(state('CLOSED'), 'PROPOSE', 'Cat')).toMatchObject({ kind: 'REFUSED', code: 'CASE_STATUS' });
  });

  it('refuses approval or rejection by the proposer (four eyes), whatever the spacing or case of the name', () => {
    expect(caseTransition(state('PROPOSED', 'Ann Smith'), 'APPROVE', ' ann  SMITH ')).toMatchObject({ kind: 'REFUSED', code: 'FOUR_EYES' });
    expect(caseTransition(state('PROPOSED', 'Ann Smith'), 'REJECT', 'Ann Smith')).toMatchObject({ kind: 'REFUSED', code: 'FOUR_EYES' });
    expect(caseTransition(state('PROPOSED', 'Ann Smith'), 'APPROVE', 'Bob Jones')).toEqual({ kind: 'DONE', next: 'APPROVED' });
    expect(caseTransition(state('PROPOSED', 'Ann Smith'), 'REJECT', 'Bob Jones')).toEqual({ kind: 'DONE', next: 'REJECTED' });
  });

  it('approves or rejects only a PROPOSED case; the same decision again by the same officer is ALREADY_DONE', () => {
    expect(caseTransition(state('OPEN'), 'APPROVE', 'Bob')).toMatchObject({ kind: 'REFUSED', code: 'CASE_STATUS' });
    expect(caseTransition(state('APPROVED', 'Ann', 'Bob'), 'APPROVE', 'Bob')).toEqual({ kind: 'ALREADY_DONE' });
    expect(caseTransition(state('APPROVED', 'Ann', 'Bob'), 'APPROVE', 'Cat')).toMatchObject({ kind: 'REFUSED', code: 'CASE_STATUS' });
    expect(caseTransition(state('APPROVED', 'Ann', 'Bob'), 'REJECT', 'Bob')).toMatchObject({ kind: 'REFUSED', code: 'CASE_STATUS' });
    expect(caseTransition(state('REJECTED', 'Ann', 'Bob'), 'REJECT', 'Bob')).toEqual({ kind: 'ALREADY_DONE' });
  });

  it('closes any case that is not closed; closing again is ALREADY_DONE', () => {
    for (const s of ['OPEN', 'PROPOSED', 'APPROVED', 'REJECTED'] as const) expect(caseTransition(state(s, 'Ann', 'Bob'), 'CLOSE', 'Ann')).toEqual({ kind: 'DONE', next: 'CLOSED' });
    expect(caseTransition(state('CLOSED'), 'CLOSE', 'Ann')).toEqual({ kind: 'ALREADY_DONE' });
  });
});
