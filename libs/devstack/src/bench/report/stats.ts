/** Percentiles and trends of benchmark samples. Pure functions, so the figures are testable. */

/** The value below which `p` percent of the samples fall (nearest rank), or NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  return sortedPercentile(sortedCopy(samples), p);
}

function sortedCopy(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

function sortedPercentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);

  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The arithmetic mean, or NaN when empty. */
export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;

  return samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** The middle value, or NaN when empty. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** p50, p90, p99 and the extremes of a sample, in the sample's unit. */
export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Summarises a sample. */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = sortedCopy(samples);

  return {
    count: sorted.length,
    p50: sortedPercentile(sorted, 50),
    p90: sortedPercentile(sorted, 90),
    p99: sortedPercentile(sorted, 99),
    min: sorted.length === 0 ? Number.NaN : sorted[0],
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
    mean: mean(sorted),
  };
}

/** A point of a time series: `x` (e.g. minutes since start) and `y` (e.g. RSS in MB). */
export interface Point {
  x: number;
  y: number;
}

/** The least-squares slope of y over x, or NaN with fewer than two distinct x. */
export function slope(points: readonly Point[]): number {
  if (points.length < 2) return Number.NaN;
  const meanX = mean(points.map((point) => point.x));
  const meanY = mean(points.map((point) => point.y));
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }

  return variance === 0 ? Number.NaN : covariance / variance;
}

/**
 * The least-squares slope of the lowest point of each window of `windowX` (the last, shorter
 * window is dropped when it has under half the width). A garbage-collected heap grows in a
 * sawtooth between major collections; what a collection leaves behind is the floor of the
 * saw, and a leak raises that floor. NaN with fewer than two windows.
 */
export function floorSlope(points: readonly Point[], windowX: number): number {
  if (points.length === 0 || !(windowX > 0)) return Number.NaN;
  const start = points[0].x;
  const end = points[points.length - 1].x;
  const floors: Point[] = [];
  for (let from = start; from < end; from += windowX) {
    if (end - from < windowX / 2) break;
    const inside = points.filter((point) => point.x >= from && point.x < from + windowX);
    if (inside.length === 0) continue;
    const lowest = inside.reduce((low, point) => (point.y < low.y ? point : low));
    floors.push({ x: from + windowX / 2, y: lowest.y });
  }

  return slope(floors);
}

/** Rounds for reports: three decimals under 10, one under 1000, none above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) < 10 ? 3 : Math.abs(value) < 1000 ? 1 : 0;
  const factor = 10 ** digits;

  return Math.round(value * factor) / factor;
}
