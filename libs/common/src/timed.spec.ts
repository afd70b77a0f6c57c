import { timed } from './timed';

describe('timed', () => {
  it('records the milliseconds of a step under its key and returns its result', () => {
    const t: { planMs?: number } = {};
    const out = timed(t, 'planMs', () => {
      const until = Date.now() + 5;
      while (Date.now() < until);
      return 42;
    });
    expect(out).toBe(42);
    expect(t.planMs).toBeGreaterThanOrEqual(5);
  });

  it('times a promise until it settles, passing a failure through', async () => {
    const t: { loadMs?: number; storeMs?: number } = {};
    await expect(timed(t, 'loadMs', () => new Promise((r) => setTimeout(() => r('rows'), 20)))).resolves.toBe('rows');
    expect(t.loadMs).toBeGreaterThanOrEqual(15);
    await expect(timed(t, 'storeMs', () => Promise.reject(new Error('conflict')))).rejects.toThrow('conflict');
    expect(t.storeMs).toBeGreaterThanOrEqual(0);
  });

  it('records a step that throws synchronously nowhere and rethrows', () => {
    const t: { planMs?: number } = {};
    expect(() => timed(t, 'planMs', () => { throw new Error('bad input'); })).toThrow('bad input');
    expect(t.planMs).toBeUndefined();
  });
});
