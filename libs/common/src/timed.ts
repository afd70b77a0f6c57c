/**
 * Runs one step and records how long it took, in whole milliseconds, under `key` of `into` (for
 * the benchmark and the log: durations, never in any output). A step that returns a promise is
 * timed until the promise settles; the step's result (or failure) is passed through.
 *
 *   const plan = timed(t, 'planMs', () => planRun(input));
 *   const input = await timed(t, 'loadMs', () => loadRunInput(m, args));
 */
export function timed<K extends string, T>(into: { [k in K]?: number }, key: K, step: () => T): T {
  const start = Date.now();
  const done = (): void => {
    into[key] = Date.now() - start;
  };
  const out = step();
  if (out instanceof Promise) return out.finally(done) as T;
  done();
  return out;
}
