import { TtlCache } from './ttl-cache';

describe(TtlCache.name, () => {
  afterEach(() => jest.useRealTimers());

  it('forgets an entry once its time is up', () => {
    jest.useFakeTimers();
    const cache = new TtlCache<string, number>(1_000, 10);
    cache.set('a', 1);

    jest.advanceTimersByTime(999);
    const before = cache.get('a');
    jest.advanceTimersByTime(1);

    expect(before).toBe(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('serves no entry older than the age bound while one is set', () => {
    jest.useFakeTimers();
    const bound: { ms?: number } = {};
    const cache = new TtlCache<string, number>(3_600_000, 10, () => bound.ms);
    cache.set('a', 1);
    jest.advanceTimersByTime(5_000);
    const unbounded = cache.get('a');

    bound.ms = 2_000;
    const bounded = cache.get('a');
    cache.set('b', 2);
    jest.advanceTimersByTime(1_000);

    expect(unbounded).toBe(1);
    expect(bounded).toBeUndefined();
    expect(cache.get('b')).toBe(2);
  });

  it('drops all entries of a group at once', () => {
    const cache = new TtlCache<string, number>(60_000, 10);
    cache.set('a', 1, 'tenant-1');
    cache.set('b', 2, 'tenant-1');
    cache.set('c', 3, 'tenant-2');

    cache.deleteGroup('tenant-1');

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, 3]);
  });

  it('evicts the oldest entry when full', () => {
    const cache = new TtlCache<string, number>(60_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);

    cache.set('c', 3);

    expect([cache.get('a'), cache.size]).toEqual([undefined, 2]);
  });
});
