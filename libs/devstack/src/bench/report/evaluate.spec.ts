import type { SoakFigure } from '../scenarios/soak';
import { checkTargets, compare } from './evaluate';
import { figures } from './test/figures.fixture';

describe('compare', () => {
  it('takes latency deltas and throughput ratios against the same run', () => {
    const comparisons = compare(figures());

    expect(comparisons.addedLatencyC1.p50Ms).toBeCloseTo(0.4);
    expect(comparisons.addedLatencyC1.p99Ms).toBeCloseTo(2);
    expect(comparisons.throughput.l4OverL2).toBeCloseTo(0.8);
    expect(comparisons.throughput.l4OverPortkey).toBeCloseTo(8);
    expect(comparisons.audit.p50Ms).toBeNaN();
  });
});

describe('checkTargets', () => {
  it('passes what is within its limit, says by how much a miss is off, and leaves gaps open', () => {
    const input = figures();

    const checks = checkTargets(input, compare(input));
    const byTarget = new Map(checks.map((check) => [check.target, check]));

    expect(byTarget.get('Added latency p50, concurrency 1 (L4 − L0)')?.pass).toBe(true);
    expect(byTarget.get('Added latency p99, concurrency 1 (L4 − L0)')).toMatchObject({
      pass: false,
      missedBy: '0.5 ms (1.333× the limit)',
    });
    expect(byTarget.get('Throughput at saturation, L4 / L2')?.pass).toBe(true);
    expect(byTarget.get('Streaming: added time to first token p50')?.pass).toBeNull();
    expect(byTarget.get('A cold key adds ≤ 5 ms, once')?.pass).toBeNull();
  });

  const soak = (minutes: number, floorTrendMibPerMinute: number, ok = 6_000): SoakFigure =>
    ({
      minutes,
      sent: 6_000,
      ok,
      trendMibPerMinute: floorTrendMibPerMinute,
      floorTrendMibPerMinute,
      rssAfterWarmUpMib: 200,
      rssEndMib: 210,
      rssMaxMib: 260,
    }) as SoakFigure;
  const soakCheck = (figure: SoakFigure) => {
    const input = { ...figures(), soak: figure };

    return checkTargets(input, compare(input)).find((check) =>
      check.target.startsWith('No RSS growth trend'),
    );
  };

  it('judges the soak only when it is as long as the target says (ten minutes)', () => {
    expect(soakCheck(soak(10, 0.2))).toMatchObject({ pass: true });
    expect(soakCheck(soak(10, 3))).toMatchObject({ pass: false });
    expect(soakCheck(soak(1, 64))).toMatchObject({
      pass: null,
      missedBy: undefined,
      notJudged: 'a 1-min soak is too short to show a trend (--soak-minutes 10)',
    });
    expect(soakCheck(soak(10, 0.1, 0))).toMatchObject({
      pass: null,
      notJudged: 'only 0 of 6000 calls succeeded',
    });
    expect(soakCheck(soak(10, Number.NaN))).toMatchObject({
      pass: null,
      notJudged: 'too few RSS samples for a trend',
    });
  });
});
