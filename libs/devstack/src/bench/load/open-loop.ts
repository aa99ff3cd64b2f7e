import { setTimeout as sleep } from 'node:timers/promises';

import { Pool } from 'undici';

import type { BenchRequest } from '../targets/targets';

/** How one open-loop run is shaped. */
export interface OpenLoopOptions {
  /** Requests started per second, whatever the answers do. */
  rate: number;
  durationSeconds: number;
  /** Upper bound of connections; requests beyond it wait inside the pool (and that counts). */
  maxConnections: number;
  /** Called about once a second with the seconds elapsed, e.g. to sample memory. */
  onSecond?: (second: number) => void;
}

/** What an open-loop run measured. */
export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  /** From the moment each request was handed to the pool to the end of its answer, in ms. */
  latenciesMs: number[];
  /** How late the generator started requests against their schedule, at worst, in ms. */
  maxLagMs: number;
}

const TICK_MS = 1;

/**
 * Sends requests at a fixed rate (open loop): request i is due at i / rate seconds and is sent
 * then even if earlier ones are still waiting, so a slow target builds a queue instead of
 * slowing the generator down (no coordinated omission). `requests` are used in turn.
 */
export async function runOpenLoop(
  requests: BenchRequest[],
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const pool = new Pool(requests[0].origin, {
    connections: options.maxConnections,
    keepAliveTimeout: 30_000,
  });
  const result: OpenLoopResult = { sent: 0, ok: 0, failed: 0, latenciesMs: [], maxLagMs: 0 };
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(options.rate * options.durationSeconds);
  const startedAt = performance.now();
  let lastSecond = 0;
  try {
    while (result.sent < total) {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - startedAt) / 1000) * options.rate) + 1);
      for (; result.sent < due; result.sent++) {
        const lag = now - (startedAt + (result.sent * 1000) / options.rate);
        result.maxLagMs = Math.max(result.maxLagMs, lag);
        track(inFlight, send(pool, requests[result.sent % requests.length], result));
      }
      lastSecond = tickSeconds(now - startedAt, lastSecond, options.onSecond);
      await sleep(TICK_MS);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }

  return result;
}

function tickSeconds(elapsedMs: number, last: number, onSecond?: (second: number) => void): number {
  const second = Math.floor(elapsedMs / 1000);
  if (second > last) onSecond?.(second);

  return second;
}

function track(inFlight: Set<Promise<void>>, work: Promise<void>): void {
  inFlight.add(work);
  void work.finally(() => inFlight.delete(work));
}

async function send(pool: Pool, request: BenchRequest, result: OpenLoopResult): Promise<void> {
  const startedAt = performance.now();
  try {
    const response = await pool.request({
      path: request.path,
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      result.ok++;
      result.latenciesMs.push(performance.now() - startedAt);
    } else {
      result.failed++;
    }
  } catch {
    result.failed++;
  }
}
