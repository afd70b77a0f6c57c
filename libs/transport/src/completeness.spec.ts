import { CompletenessTracker, judgeCompleteness, type ObservedFile } from './completeness';

const f = (name: string, size: number, mtimeMs: number, hasDoneMarker = false): ObservedFile => ({
  name,
  size,
  mtimeMs,
  hasDoneMarker,
});

describe('CompletenessTracker (stabilityMs 0: unchanged since the previous poll)', () => {
  it('does not take a file on first sight, takes it once unchanged on the next poll', () => {
    const t = new CompletenessTracker({ stabilityMs: 0 });
    expect(t.observe([f('a.xml', 100, 1000)], 1)).toEqual([
      { name: 'a.xml', complete: false, reason: 'FIRST_SEEN' },
    ]);
    expect(t.observe([f('a.xml', 100, 1000)], 2)).toEqual([
      { name: 'a.xml', complete: true, reason: 'STABLE' },
    ]);
  });

  it('never takes a growing file, and restarts the wait after each change', () => {
    const t = new CompletenessTracker({ stabilityMs: 0 });
    t.observe([f('a.xml', 100, 1000)], 1);
    expect(t.observe([f('a.xml', 200, 1000)], 2)[0]).toMatchObject({ complete: false, reason: 'CHANGED' });
    expect(t.observe([f('a.xml', 300, 2000)], 3)[0]).toMatchObject({ complete: false, reason: 'CHANGED' });
    expect(t.observe([f('a.xml', 300, 2000)], 4)[0]).toMatchObject({ complete: true, reason: 'STABLE' });
  });

  it('treats an mtime change with the same size as a change (rewritten in place)', () => {
    const t = new CompletenessTracker({ stabilityMs: 0 });
    t.observe([f('a.xml', 100, 1000)], 1);
    expect(t.observe([f('a.xml', 100, 5000)], 2)[0]).toMatchObject({ complete: false, reason: 'CHANGED' });
  });

  it('takes a file with a .done marker at once', () => {
    const t = new CompletenessTracker({ stabilityMs: 60_000 });
    expect(t.observe([f('a.xml', 100, 1000, true)], 1)[0]).toMatchObject({
      complete: true,
      reason: 'DONE_MARKER',
    });
  });

  it('never takes an empty file without a marker (sender may have only created it)', () => {
    const t = new CompletenessTracker({ stabilityMs: 0 });
    // Only once it is stable does an empty file say TOO_SMALL (the intake then quarantines it).
    expect(t.observe([f('e.csv', 0, 1000)], 1)[0]).toMatchObject({ complete: false, reason: 'FIRST_SEEN' });
    expect(t.observe([f('e.csv', 0, 1000)], 2)[0]).toMatchObject({ complete: false, reason: 'TOO_SMALL' });
    expect(t.observe([f('e.csv', 0, 1000, true)], 3)[0]).toMatchObject({
      complete: true,
      reason: 'DONE_MARKER',
    });
  });

  it('forgets files that disappear, so a new file of the same name starts again', () => {
    const t = new CompletenessTracker({ stabilityMs: 0 });
    t.observe([f('a.xml', 100, 1000)], 1);
    t.observe([], 2);
    expect(t.observe([f('a.xml', 100, 1000)], 3)[0]).toMatchObject({ complete: false, reason: 'FIRST_SEEN' });
  });
});

describe('CompletenessTracker (stabilityMs > 0)', () => {
  it('needs the file unchanged for at least stabilityMs since first seen at that size', () => {
    const t = new CompletenessTracker({ stabilityMs: 30_000 });
    t.observe([f('a.xml', 100, 1000)], 100_000);
    // 10 s later: unchanged but not long enough
    expect(t.observe([f('a.xml', 100, 1000)], 110_000)[0]).toMatchObject({
      complete: false,
      reason: 'NOT_STABLE_LONG_ENOUGH',
    });
    // 30 s after it was first seen at this size
    expect(t.observe([f('a.xml', 100, 1000)], 130_000)[0]).toMatchObject({
      complete: true,
      reason: 'STABLE',
    });
  });

  it('survives a restart through snapshot()', () => {
    const a = new CompletenessTracker({ stabilityMs: 30_000 });
    a.observe([f('a.xml', 100, 1000)], 100_000);
    const b = new CompletenessTracker({ stabilityMs: 30_000 }, JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.observe([f('a.xml', 100, 1000)], 130_000)[0]).toMatchObject({ complete: true });
  });

  it('rejects a negative stability window', () => {
    expect(() => new CompletenessTracker({ stabilityMs: -1 })).toThrow(RangeError);
  });
});

describe('judgeCompleteness', () => {
  it('honours minBytes', () => {
    const prev = { size: 10, mtimeMs: 1, stableSinceMs: 0 };
    expect(judgeCompleteness(f('x', 10, 1), prev, 0, { stabilityMs: 0, minBytes: 11 }).reason).toBe(
      'TOO_SMALL',
    );
    expect(judgeCompleteness(f('x', 10, 1), prev, 0, { stabilityMs: 0, minBytes: 10 }).complete).toBe(true);
  });
});
