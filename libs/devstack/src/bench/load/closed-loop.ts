import autocannon from 'autocannon';

import { BenchException } from '../bench.exception';
import type { BenchRequest } from '../targets/targets';

/** How one closed-loop run is shaped. */
export interface ClosedLoopOptions {
  /** Connections, each with one request in flight at a time. */
  connections: number;
  durationSeconds: number;
  /** Keep every 2xx latency (float milliseconds from hrtime). Off for saturation runs. */
  keepLatencies: boolean;
}

/** What a closed-loop run measured. */
export interface ClosedLoopResult {
  ok: number;
  failed: number;
  elapsedSeconds: number;
  /** Successful responses per second. */
  rps: number;
  /** Per-request latency in ms, when asked for. */
  latenciesMs: number[];
}

/**
 * Drives a target with autocannon: `connections` connections, each sending its next request as
 * soon as the previous answer is complete (closed loop). Latencies are taken from autocannon's
 * `response` events, whose times are fractional milliseconds; its own histogram keeps whole
 * milliseconds only, too coarse for sub-millisecond deltas.
 */
export function runClosedLoop(
  request: BenchRequest,
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  const latenciesMs: number[] = [];
  let ok = 0;
  const startedAt = performance.now();

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${request.origin}${request.path}`,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 30,
      },
      (error, result) => {
        if (error) {
          reject(new BenchException(`autocannon failed: ${error.message}`, { cause: error }));

          return;
        }
        const elapsedSeconds = (performance.now() - startedAt) / 1000;
        const failed = result.non2xx + result.errors + result.timeouts;
        resolve({ ok, failed, elapsedSeconds, rps: ok / elapsedSeconds, latenciesMs });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode < 200 || statusCode >= 300) return;
      ok++;
      if (options.keepLatencies) latenciesMs.push(ms);
    });
  });
}
