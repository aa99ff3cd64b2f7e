import { runOpenLoop } from '../load/open-loop';
import { rssKib } from '../load/rss';
import { distribution, floorSlope, Distribution, Point, slope } from '../report/stats';
import type { Target } from '../targets/targets';

/** The gateway's memory over a long steady load. */
export interface SoakFigure {
  minutes: number;
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  latencyMs: Distribution;
  /** RSS samples: minutes since the start, MiB. */
  rssMib: Point[];
  rssStartMib: number;
  /** The first sample after the warm-up share: the baseline of the growth figure. */
  rssAfterWarmUpMib: number;
  rssEndMib: number;
  /** End minus after-warm-up, MiB. */
  growthAfterWarmUpMib: number;
  rssMaxMib: number;
  /** Least-squares slope of RSS over the second half of the soak, MiB per minute. */
  trendMibPerMinute: number;
  /**
   * Slope of the floor of RSS over the second half (the lowest sample of each third of it),
   * MiB per minute: the growth that garbage collections do not take back.
   */
  floorTrendMibPerMinute: number;
}

/**
 * The share of the soak left out of the trend: heaps, pools and caches grow to their working
 * size first (over minutes, on a busy machine); a leak keeps growing through the second half.
 */
const WARM_UP_SHARE = 0.5;
/** Windows of the second half whose lowest samples make the floor trend. */
const FLOOR_WINDOWS = 3;

/**
 * Steady open-loop load on one target for `minutes` (half plain calls, half streams), sampling
 * the serving process's RSS every `sampleSeconds`.
 */
export async function soak(
  target: Target,
  minutes: number,
  rate: number,
  sampleSeconds: number,
): Promise<SoakFigure> {
  const samples: Point[] = [];
  const sample = async (second: number): Promise<void> => {
    const rss = await rssKib(target.pid('fast'));
    if (rss !== undefined) samples.push({ x: second / 60, y: rss / 1024 });
  };
  await sample(0);
  const run = await runOpenLoop([target.request('fast'), target.request('stream')], {
    rate,
    durationSeconds: minutes * 60,
    maxConnections: 256,
    onSecond: (second) => {
      if (second % sampleSeconds === 0) void sample(second);
    },
  });
  await sample(minutes * 60);
  const trendFrom = minutes * WARM_UP_SHARE;
  const values = samples.map((point) => point.y);
  const steady = samples.filter((point) => point.x >= trendFrom);
  const rssEndMib = values[values.length - 1] ?? Number.NaN;
  const rssAfterWarmUpMib = steady[0]?.y ?? Number.NaN;

  return {
    minutes,
    rate,
    sent: run.sent,
    ok: run.ok,
    failed: run.failed,
    latencyMs: distribution(run.latenciesMs),
    rssMib: samples,
    rssStartMib: values[0] ?? Number.NaN,
    rssAfterWarmUpMib,
    rssEndMib,
    growthAfterWarmUpMib: rssEndMib - rssAfterWarmUpMib,
    rssMaxMib: values.length ? Math.max(...values) : Number.NaN,
    trendMibPerMinute: slope(steady),
    floorTrendMibPerMinute: floorSlope(steady, (minutes - trendFrom) / FLOOR_WINDOWS),
  };
}
