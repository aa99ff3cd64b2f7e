import type { SoakFigure } from '../scenarios/soak';
import type { StreamingFigure } from '../scenarios/streaming';
import type { BenchResults, Comparisons, TargetCheck } from './bench-results';
import { round } from './stats';

type Figures = Omit<BenchResults, 'comparisons' | 'checks'>;

const LIMITS = {
  addedP50Ms: 0.5,
  addedP99Ms: 1.5,
  shareOfL2: 0.6,
  timesPortkey: 5,
  addedTtftMs: 1,
  kibPerStream: 64,
  mergedMargin: 0.02,
  trendMibPerMinute: 0.5,
  /** The soak: a shorter one shows warm-up, not a trend. */
  soakMinutes: 10,
  /** A soak whose calls mostly fail measures an idle process. */
  soakSuccessShare: 0.99,
  coldKeyMs: 5,
};

/** Deltas and ratios of the run's figures against its own baselines (NaN when missing). */
export function compare(figures: Figures): Comparisons {
  const c1 = (name: string) => figures.latencyC1[name]?.latencyMs;
  const open = (name: string) => figures.openLoop[name]?.latencyMs;
  const rps = (name: string) => figures.throughput[name]?.rps ?? Number.NaN;
  const cpu = (name: string) => figures.throughput[name]?.cpuUsPerRequest ?? Number.NaN;

  return {
    addedLatencyC1: deltas(c1('L4'), c1('L0')),
    bareHopLatencyC1: deltas(c1('L2'), c1('L0')),
    addedLatencySparse: deltas(figures.sparse.L4?.latencyMs, figures.sparse.L0?.latencyMs),
    addedLatencyOpenLoop: deltas(open('L4'), open('L0')),
    throughput: {
      l4OverL2: rps('L4') / rps('L2'),
      l4OverPortkey: rps('L4') / rps('portkey'),
      l2OverL0: rps('L2') / rps('L0'),
    },
    cpuPerRequest: { l2OverL4: cpu('L2') / cpu('L4'), portkeyOverL4: cpu('portkey') / cpu('L4') },
    streaming: streamingDeltas(figures.streaming.L4, figures.streaming.L0),
    audit: {
      ...deltas(c1('L4'), c1('L4-audit-off')),
      throughputOnOverOff: rps('L4') / rps('L4-audit-off'),
    },
  };
}

type Percentiles = { p50: number; p99: number } | undefined;

function deltas(measured: Percentiles, baseline: Percentiles): { p50Ms: number; p99Ms: number } {
  if (!measured || !baseline) return { p50Ms: Number.NaN, p99Ms: Number.NaN };

  return { p50Ms: measured.p50 - baseline.p50, p99Ms: measured.p99 - baseline.p99 };
}

function streamingDeltas(
  measured: StreamingFigure | undefined,
  baseline: StreamingFigure | undefined,
): Comparisons['streaming'] {
  const gaps = deltas(measured?.gapMs, baseline?.gapMs);

  return {
    addedTtftP50Ms: deltas(measured?.ttftMs, baseline?.ttftMs).p50Ms,
    addedGapP50Ms: gaps.p50Ms,
    addedGapP99Ms: gaps.p99Ms,
  };
}

/** The targets, each marked pass or miss (by how much), or null when not measured. */
export function checkTargets(figures: Figures, comparisons: Comparisons): TargetCheck[] {
  return [
    atMost(
      'Added latency p50, concurrency 1 (L4 − L0)',
      comparisons.addedLatencyC1.p50Ms,
      LIMITS.addedP50Ms,
      'ms',
    ),
    atMost(
      'Added latency p99, concurrency 1 (L4 − L0)',
      comparisons.addedLatencyC1.p99Ms,
      LIMITS.addedP99Ms,
      'ms',
    ),
    atLeast(
      'Throughput at saturation, L4 / L2',
      comparisons.throughput.l4OverL2,
      LIMITS.shareOfL2,
      '×',
    ),
    atLeast(
      'Throughput at saturation, L4 / Portkey',
      comparisons.throughput.l4OverPortkey,
      LIMITS.timesPortkey,
      '×',
    ),
    atMost(
      'Streaming: added time to first token p50',
      comparisons.streaming.addedTtftP50Ms,
      LIMITS.addedTtftMs,
      'ms',
    ),
    chunkCheck(figures),
    ...heldStreamChecks(figures),
    soakCheck(figures),
    coldKeyCheck(figures),
    warmPathCheck(figures),
  ];
}

function atMost(target: string, measured: number, limit: number, unit: string): TargetCheck {
  return bounded(target, measured, limit, unit, measured <= limit, `≤ ${limit} ${unit}`);
}

function atLeast(target: string, measured: number, limit: number, unit: string): TargetCheck {
  return bounded(target, measured, limit, unit, measured >= limit, `≥ ${limit} ${unit}`);
}

function bounded(
  target: string,
  measured: number,
  limit: number,
  unit: string,
  pass: boolean,
  limitText: string,
): TargetCheck {
  if (!Number.isFinite(measured))
    return { target, limit: limitText, measured: 'not measured', pass: null };
  const check: TargetCheck = {
    target,
    limit: limitText,
    measured: `${round(measured)} ${unit}`,
    pass,
  };
  if (!pass)
    check.missedBy = `${round(Math.abs(measured - limit))} ${unit} (${round(measured / limit)}× the limit)`;

  return check;
}

/**
 * Chunks pass one by one when the router's streams arrive as separately as those of a path
 * known not to batch: the direct stream (L0) or the bare proxy (L2, a pure pipe). The share of
 * events merged with a neighbour may exceed the better of the two by a noise margin only: the
 * client sometimes reads two events at once when it or a hop is descheduled, more often with
 * more hops on a busy machine. A path that buffers shows most events merged.
 */
function chunkCheck(figures: Figures): TargetCheck {
  const target = 'Streaming: chunks forwarded one by one (no burst the direct stream lacks)';
  const limit = `merged events ≤ L0 or L2 + ${LIMITS.mergedMargin * 100} points`;
  const router = figures.streaming.L4;
  const baselines = [figures.streaming.L0, figures.streaming.L2].filter((figure) => figure);
  if (!router || baselines.length === 0 || router.streams === router.errors) {
    return { target, limit, measured: 'not measured', pass: null };
  }
  const baseline = Math.max(...baselines.map((figure) => figure?.mergedShare ?? 0));
  const percent = (share: number | undefined): string =>
    share === undefined ? '–' : `${round(share * 100)} %`;
  const measured =
    `L4 ${round(router.arrivalsPerStream)} arrivals for ${round(router.eventsPerStream)} events ` +
    `per stream, ${percent(router.mergedShare)} merged (L0 ${percent(figures.streaming.L0?.mergedShare)}, ` +
    `L2 ${percent(figures.streaming.L2?.mergedShare)})`;
  const excess = router.mergedShare - baseline - LIMITS.mergedMargin;
  const pass = excess <= 0 && router.errors === 0;

  return {
    target,
    limit,
    measured,
    pass,
    missedBy: pass ? undefined : `${percent(excess)} of events`,
  };
}

function heldStreamChecks(figures: Figures): TargetCheck[] {
  const held = figures.heldStreams.L4;
  if (!held) {
    return [
      {
        target: '1,000 concurrent streams with no error',
        limit: '0 errors',
        measured: 'not measured',
        pass: null,
      },
      {
        target: 'RSS per concurrent stream',
        limit: `≤ ${LIMITS.kibPerStream} KiB`,
        measured: 'not measured',
        pass: null,
      },
    ];
  }
  const errors = held.errors + (held.streams - held.completed - held.errors);
  const perStream = atMost(
    'RSS per concurrent stream',
    held.kibPerStream ?? Number.NaN,
    LIMITS.kibPerStream,
    'KiB',
  );

  return [
    {
      target: `${held.streams} concurrent streams with no error`,
      limit: '0 errors, all open at once',
      measured: `${held.completed} completed, ${errors} failed, ${held.openAtPeak} open at peak`,
      pass: errors === 0 && held.openAtPeak === held.streams,
      missedBy: heldMiss(errors, held.streams - held.openAtPeak),
    },
    perStream,
  ];
}

function heldMiss(errors: number, neverConcurrent: number): string | undefined {
  const parts = [];
  if (errors > 0) parts.push(`${errors} errors`);
  if (neverConcurrent > 0)
    parts.push(`${neverConcurrent} streams ended before the last one opened`);

  return parts.length > 0 ? parts.join(', ') : undefined;
}

function soakCheck(figures: Figures): TargetCheck {
  const soak = figures.soak;
  const target = 'No RSS growth trend in the soak';
  if (!soak)
    return {
      target,
      limit: `≤ ${LIMITS.trendMibPerMinute} MiB/min`,
      measured: 'not measured',
      pass: null,
    };
  const check = atMost(target, soak.floorTrendMibPerMinute, LIMITS.trendMibPerMinute, 'MiB/min');
  check.measured +=
    ` (floor after each GC) over ${soak.minutes} min; all samples ${round(soak.trendMibPerMinute)} MiB/min,` +
    ` ${round(soak.rssAfterWarmUpMib)} → ${round(soak.rssEndMib)} MiB, peak ${round(soak.rssMaxMib)} MiB`;
  const notJudged = unjudgedSoak(soak);

  return notJudged ? { ...check, pass: null, missedBy: undefined, notJudged } : check;
}

/** Why a soak's trend says nothing (too short, calls failing, no samples), if it does not. */
function unjudgedSoak(soak: SoakFigure): string | undefined {
  if (soak.minutes < LIMITS.soakMinutes) {
    return `a ${soak.minutes}-min soak is too short to show a trend (--soak-minutes ${LIMITS.soakMinutes})`;
  }
  if (soak.ok < soak.sent * LIMITS.soakSuccessShare) {
    return `only ${soak.ok} of ${soak.sent} calls succeeded`;
  }
  if (!Number.isFinite(soak.floorTrendMibPerMinute)) return 'too few RSS samples for a trend';

  return undefined;
}

function coldKeyCheck(figures: Figures): TargetCheck {
  const cold = figures.coldKey;
  const target = 'A cold key adds ≤ 5 ms, once';
  if (!cold)
    return {
      target,
      limit: `≤ ${LIMITS.coldKeyMs} ms, once`,
      measured: 'not measured',
      pass: null,
    };
  const check = atMost(target, cold.addedMedianMs, LIMITS.coldKeyMs, 'ms');
  const once = cold.decrypts === cold.keys && cold.decryptsOnSecondPass === 0;
  check.measured += ` median (max ${round(cold.addedMaxMs)} ms), ${cold.decrypts} decrypts for ${cold.keys} keys, ${cold.decryptsOnSecondPass} on reuse`;
  check.pass = check.pass === true && once;

  return check;
}

function warmPathCheck(figures: Figures): TargetCheck {
  const warm = figures.warmPath;
  const target = 'The warm path makes no database query and no gRPC call';
  const limit = 'served with config and key-vault frozen; 0 decrypts';
  if (!warm) return { target, limit, measured: 'not measured', pass: null };
  const pass =
    warm.servedWhileFrozen > 0 && warm.failedWhileFrozen === 0 && warm.decryptsDuringWarmLoad === 0;
  const measured = `${warm.servedWhileFrozen} served, ${warm.failedWhileFrozen} failed while frozen; ${warm.decryptsDuringWarmLoad} decrypts during warm load`;

  return { target, limit, measured, pass };
}
