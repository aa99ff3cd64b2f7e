import { distribution, floorSlope, percentile, slope } from './stats';

describe('stats', () => {
  it('takes percentiles by nearest rank', () => {
    const samples = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];

    const [p50, p90, p99] = [50, 90, 99].map((p) => percentile(samples, p));

    expect([p50, p90, p99]).toEqual([5, 9, 10]);
  });

  it('summarises an empty sample as NaN rather than zero', () => {
    const summary = distribution([]);

    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.max).toBeNaN();
  });

  it('summarises a sample larger than the argument limit of Math.max', () => {
    const samples = Array.from({ length: 300_000 }, (_, index) => index);

    const summary = distribution(samples);

    expect(summary.max).toBe(299_999);
    expect(summary.min).toBe(0);
  });

  it('finds the least-squares slope of a noisy upward line', () => {
    const points = [0, 1, 2, 3, 4].map((x) => ({ x, y: 10 + 2 * x + (x % 2 === 0 ? 0.1 : -0.1) }));

    expect(slope(points)).toBeCloseTo(2, 1);
  });

  it('has no slope for a single point', () => {
    expect(slope([{ x: 1, y: 1 }])).toBeNaN();
  });

  describe('floorSlope', () => {
    /** A heap that climbs 12 MiB per minute and drops back to `floorAt(x)` every 1.5 minutes. */
    const sawtooth = (floorAt: (x: number) => number) =>
      Array.from({ length: 61 }, (_, index) => {
        const x = index / 10;

        return { x, y: floorAt(x) + 12 * (x % 1.5) };
      });

    it('sees no growth in a sawtooth whose floor stays level, where the plain slope does', () => {
      const points = sawtooth(() => 170).filter((point) => point.x < 4.5);

      expect(Math.abs(floorSlope(points, 1.8))).toBeLessThan(0.5);
      expect(slope(points)).toBeGreaterThan(1);
    });

    it('finds the growth of a rising floor', () => {
      const points = sawtooth((x) => 170 + 3 * x);

      expect(floorSlope(points, 2)).toBeCloseTo(3, 0);
    });

    it('has no slope with fewer than two windows', () => {
      expect(
        floorSlope(
          [
            { x: 0, y: 1 },
            { x: 1, y: 2 },
          ],
          5,
        ),
      ).toBeNaN();
    });
  });
});
