/** Delays between restarts of a crashing process: doubling from `initialMs` up to `maxMs`. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 15_000,
  ) {}

  /** The delay before the next attempt; each call doubles the following one. */
  next(): number {
    const delay = Math.min(this.initialMs * 2 ** this.attempt, this.maxMs);
    this.attempt += 1;

    return delay;
  }

  /** Starts over from `initialMs`, e.g. after the process ran fine for a while. */
  reset(): void {
    this.attempt = 0;
  }
}
