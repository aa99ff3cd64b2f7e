/**
 * A doubling delay between retries, capped, so a failing dependency is retried promptly at
 * first and then no more often than every `maxMs`.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** The delay before the next retry; each call doubles it, up to the cap. */
  next(): number {
    const delay = Math.min(this.initialMs * 2 ** this.attempt, this.maxMs);
    this.attempt = Math.min(this.attempt + 1, 30);

    return delay;
  }

  /** Back to the initial delay, after a success. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts, so a stopping reader never waits out a delay. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();

  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
