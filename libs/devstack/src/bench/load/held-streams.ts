import { setTimeout as sleep } from 'node:timers/promises';

import { Pool } from 'undici';

import { BenchException } from '../bench.exception';
import type { BenchRequest } from '../targets/targets';
import { rssKib } from './rss';

/** How many streams to hold and how to open them. */
export interface HeldStreamsOptions {
  streams: number;
  /** Streams opened together; the next batch starts once these have their first event. */
  batch: number;
  /** The process whose memory is sampled. */
  pid: number | undefined;
  /** Longest wait for every stream to end, in ms. */
  timeoutMs: number;
}

/** Memory of the serving process while many streams were open at once. */
export interface HeldStreamsResult {
  streams: number;
  /** Streams that had their first event while the others were still open. */
  opened: number;
  completed: number;
  errors: number;
  /** Streams still open when every one had started: should equal `streams`. */
  openAtPeak: number;
  rssBeforeKib?: number;
  /** The highest RSS sampled while the streams were open. */
  rssPeakKib?: number;
  /** (peak - before) / streams. */
  kibPerStream?: number;
  msToOpenAll: number;
}

const SAMPLE_MS = 100;
const BATCH_TIMEOUT_MS = 60_000;

/**
 * Opens `streams` slow streaming requests at once (in batches, so the listen backlog is not the
 * limit), keeps them open, and samples the serving process's RSS until they have all ended.
 */
export async function holdStreams(
  request: BenchRequest,
  options: HeldStreamsOptions,
): Promise<HeldStreamsResult> {
  const pool = new Pool(request.origin, { connections: options.streams, keepAliveTimeout: 1_000 });
  const result: HeldStreamsResult = {
    streams: options.streams,
    opened: 0,
    completed: 0,
    errors: 0,
    openAtPeak: 0,
    msToOpenAll: Number.NaN,
  };
  result.rssBeforeKib = await rssKib(options.pid);
  let open = 0;
  let sampling = true;
  const sampler = sampleRss(options.pid, () => sampling, result);
  const startedAt = performance.now();
  const streams: Array<Promise<void>> = [];
  try {
    for (let first = 0; first < options.streams; first += options.batch) {
      const count = Math.min(options.batch, options.streams - first);
      const started = Array.from({ length: count }, () => {
        const { firstEvent, done } = holdOne(pool, request, result, (delta) => (open += delta));
        streams.push(done);

        return firstEvent;
      });
      // Bounded: a stream that never starts must not hold the run (it counts as not open).
      await Promise.race([Promise.all(started), sleep(BATCH_TIMEOUT_MS)]);
    }
    result.msToOpenAll = performance.now() - startedAt;
    result.openAtPeak = open;
    await Promise.race([Promise.all(streams), sleep(options.timeoutMs)]);
  } finally {
    sampling = false;
    await sampler;
    await pool.destroy();
  }
  if (result.rssBeforeKib !== undefined && result.rssPeakKib !== undefined) {
    result.kibPerStream = (result.rssPeakKib - result.rssBeforeKib) / options.streams;
  }

  return result;
}

async function sampleRss(
  pid: number | undefined,
  active: () => boolean,
  result: HeldStreamsResult,
): Promise<void> {
  while (active()) {
    const rss = await rssKib(pid);
    if (rss !== undefined) result.rssPeakKib = Math.max(result.rssPeakKib ?? 0, rss);
    await sleep(SAMPLE_MS);
  }
}

/** One held stream: resolves `firstEvent` on its first bytes of body, `done` at its end. */
function holdOne(
  pool: Pool,
  request: BenchRequest,
  result: HeldStreamsResult,
  count: (delta: number) => void,
): { firstEvent: Promise<void>; done: Promise<void> } {
  let markOpen: () => void = () => undefined;
  const firstEvent = new Promise<void>((resolve) => (markOpen = resolve));
  let isOpen = false;
  const done = (async () => {
    try {
      const response = await pool.request({
        path: request.path,
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      if (response.statusCode !== 200) throw new BenchException(`status ${response.statusCode}`);
      for await (const chunk of response.body) {
        if (isOpen || (chunk as Buffer).length === 0) continue;
        isOpen = true;
        result.opened++;
        count(1);
        markOpen();
      }
      result.completed++;
    } catch {
      result.errors++;
    } finally {
      if (isOpen) count(-1);
      markOpen();
    }
  })();

  return { firstEvent, done };
}
