import { MetricCapture } from './metric-capture';
import { MetricSeries } from './metric-series';

const BOUNDS = [0.01, 0.1, 1, 10];

/** The exposition lines of metric `name`, renamed to `as` so two metrics can be compared. */
function linesOf(text: string, name: string, as: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.includes(name))
    .map((line) => line.replaceAll(name, as));
}

describe(MetricSeries.name, () => {
  let capture: MetricCapture;

  beforeEach(() => {
    capture = new MetricCapture();
  });

  afterEach(async () => {
    await capture.shutdown();
  });

  it('exposes a histogram exactly as the SDK does for the same recordings', async () => {
    const options = { description: 'How long', unit: 's' };
    const sdk = capture.meter.createHistogram('sdk_hist', {
      ...options,
      advice: { explicitBucketBoundaries: BOUNDS },
    });
    const histogram = capture.series.histogram('ours_hist', { ...options, boundaries: BOUNDS });
    const recordings: Array<[number, Record<string, string | number>]> = [
      [0.01, { route: '/a', code: 200 }],
      [0.05, { route: '/a', code: 200 }],
      [10, { code: 200, route: '/a' }],
      [11, { route: '/a', code: 200 }],
      [0, { route: '/b', code: 500 }],
      [-1, { route: '/b', code: 500 }],
      [Number.NaN, { route: '/b', code: 500 }],
    ];

    for (const [value, attributes] of recordings) {
      sdk.record(value, attributes);
      histogram.series(attributes).record(value);
    }

    const text = await capture.exposition();
    const ours = linesOf(text, 'ours_hist', 'h');
    expect(ours.length).toBeGreaterThan(10);
    expect(ours).toEqual(linesOf(text, 'sdk_hist', 'h'));
    expect(ours).toContain('h_count{route="/a",code="200",otel_scope_name="test"} 4');
    expect(ours).toContain('h_bucket{route="/a",code="200",otel_scope_name="test",le="0.01"} 1');
    expect(ours).toContain('h_bucket{route="/a",code="200",otel_scope_name="test",le="10"} 3');
  });

  it('exposes a counter exactly as the SDK does, as a monotonic total', async () => {
    const options = { description: 'Attempts', unit: '{attempt}' };
    const sdk = capture.meter.createCounter('sdk_count', options);
    const counter = capture.series.counter('ours_count', options);

    for (const [value, outcome] of [
      [1, 'success'],
      [2, 'success'],
      [1, 'error'],
      [-3, 'error'],
      [0, 'none'],
    ] as const) {
      sdk.add(value, { outcome });
      counter.series({ outcome }).add(value);
    }

    const text = await capture.exposition();
    const ours = linesOf(text, 'ours_count', 'c');
    expect(ours).toEqual(linesOf(text, 'sdk_count', 'c'));
    expect(ours).toContain('c_total{outcome="success",otel_scope_name="test"} 3');
    expect(ours).toContain('c_total{outcome="none",otel_scope_name="test"} 0');
  });

  it('gives equal label sets one series, whatever the order of their keys', () => {
    const histogram = capture.series.histogram('h', {
      description: '',
      unit: 's',
      boundaries: BOUNDS,
    });

    const first = histogram.series({ a: 1, b: 'x' });

    expect(histogram.series({ b: 'x', a: 1 })).toBe(first);
    expect(histogram.series({ a: 2, b: 'x' })).not.toBe(first);
  });

  it('exports a series only once something was recorded into it', async () => {
    const histogram = capture.series.histogram('h', {
      description: '',
      unit: 's',
      boundaries: BOUNDS,
    });
    const counter = capture.series.counter('c', { description: '', unit: '1' });
    histogram.series({ kind: 'idle' });
    counter.series({ kind: 'idle' });
    histogram.series({ kind: 'ignored' }).record(-1);

    expect(await capture.points('h')).toEqual([]);
    expect(await capture.points('c')).toEqual([]);

    histogram.series({ kind: 'used' }).record(0.5);

    expect(await capture.points('h')).toEqual([
      { attributes: { kind: 'used' }, value: 1, sum: 0.5 },
    ]);
  });

  it('counts label sets past the limit under the overflow series, as the SDK does', async () => {
    const counter = capture.series.counter('c', { description: '', unit: '1' });

    for (let index = 0; index < 2_100; index++) counter.series({ index }).add(1);

    const points = await capture.points('c');
    expect(points).toHaveLength(2_000);
    expect(points.find((point) => point.attributes['otel.metric.overflow'] === true)?.value).toBe(
      101,
    );
  });

  it('keeps reading cumulative state: a scrape does not reset it', async () => {
    const series = capture.series
      .histogram('h', { description: '', unit: 's', boundaries: BOUNDS })
      .series({});
    series.record(1);
    await capture.points('h');

    series.record(2);

    expect(await capture.points('h')).toEqual([{ attributes: {}, value: 2, sum: 3 }]);
  });
});
