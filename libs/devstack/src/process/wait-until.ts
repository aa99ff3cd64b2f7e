import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Pause between two probes, in ms. */
  intervalMs?: number;
  /** Checked before each probe; a thrown error ends the wait at once (e.g. the process died). */
  abortIf?: () => void;
  /** The error to fail with on timeout. */
  timeoutError: () => Error;
}

/** Polls `probe` until it resolves true; probes that throw count as "not yet". */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: WaitUntilOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.abortIf?.();
    if (await probe().catch(() => false)) return;
    if (Date.now() >= deadline) throw options.timeoutError();

    await sleep(options.intervalMs ?? 200);
  }
}
