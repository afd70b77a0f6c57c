/**
 * Worked example: the audit window.
 *   First audit: from the later of the DP's start (2026-10-05) and go-live (2026-11-02) -> 2026-11-02.
 *   Next: the day after the last `to` (2026-11-30) -> 2026-12-01 up to the night.
 *   Audited already tonight (last to = night) -> empty window, no audit.
 */
import { auditWindow } from '../window';

describe('audit example: the window', () => {
  it('first, next and empty windows', () => {
    expect(auditWindow(null, '2026-10-05', '2026-11-02', '2026-11-30')).toEqual({ from: '2026-11-02', to: '2026-11-30' });
    expect(auditWindow(null, '2026-11-10', '2026-11-02', '2026-11-30')).toEqual({ from: '2026-11-10', to: '2026-11-30' });
    expect(auditWindow('2026-11-30', '2026-10-05', '2026-11-02', '2026-12-09')).toEqual({ from: '2026-12-01', to: '2026-12-09' });
    expect(auditWindow('2026-12-09', '2026-10-05', '2026-11-02', '2026-12-09')).toBeNull();
  });
});
