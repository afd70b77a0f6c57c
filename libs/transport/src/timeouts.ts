import { Transform, type Readable } from 'node:stream';
import { TransportError } from './errors';

/** Rejects with TIMEOUT when `work` has not settled within `ms` (the work itself is not cancelled). */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError('TIMEOUT', message)), ms);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Passes a stream through, failing it with TIMEOUT when no data arrives for `idleMs`: a stalled
 * remote read cannot hang a job forever. Time spent paused by a slow reader does not count.
 */
export function withIdleTimeout(source: Readable, idleMs: number, message: string): Readable {
  if (!(idleMs > 0) || !Number.isFinite(idleMs)) return source;
  let timer: NodeJS.Timeout | undefined;
  const out = new Transform({
    transform(chunk, _enc, cb) {
      arm();
      cb(null, chunk);
    },
    flush(cb) {
      clearTimeout(timer);
      cb();
    },
    destroy(err, cb) {
      clearTimeout(timer);
      if (!source.destroyed) source.destroy();
      cb(err);
    },
  });
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Paused by back-pressure: the reader is slow, not the source. Wait again.
      if (source.isPaused()) arm();
      else out.destroy(new TransportError('TIMEOUT', message));
    }, idleMs);
    timer.unref?.();
  };
  source.on('error', (err) => out.destroy(err));
  source.pipe(out);
  arm();
  return out;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
