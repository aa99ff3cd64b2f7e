import { durationMs, resetMs, retryAfterMs } from './retry-hint';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryAfterMs', () => {
  it.each([
    [{ 'retry-after': '30' }, 30_000],
    [{ 'retry-after': '1.5' }, 1_500],
    [{ 'retry-after-ms': '2500', 'retry-after': '30' }, 2_500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:45 GMT' }, 45_000],
  ])('reads %j as %i ms', (headers, expected) => {
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });

  it.each([
    [{ 'retry-after': '0' }],
    [{ 'retry-after-ms': '250' }],
    [{ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2ms' }],
  ])('never sleeps less than a second on %j, so a throttled key cannot spin', (headers) => {
    expect(retryAfterMs(headers, NOW)).toBe(1_000);
  });

  it.each(['Wed, 31 Dec 2025 23:00:00 GMT', '-5', 'Dec 5', 'soon 5'])(
    'takes a past or garbled Retry-After %j as no hint, so backoff applies',
    (retryAfter) => {
      expect(retryAfterMs({ 'retry-after': retryAfter }, NOW)).toBeNull();
    },
  );

  it('waits for the rate limit that is spent, not the one with room left', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-remaining-tokens': '1200',
      'x-ratelimit-reset-tokens': '20ms',
    };

    expect(retryAfterMs(headers, NOW)).toBe(360_000);
  });

  it('takes the longest reset when the remaining counts are not given', () => {
    const headers = { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '1m2.5s' };

    expect(retryAfterMs(headers, NOW)).toBe(62_500);
  });

  it('reads a reset given as a Unix time in seconds as the time left until then', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': String(NOW / 1000 + 42),
    };

    expect(retryAfterMs(headers, NOW)).toBe(42_000);
  });

  it('takes a reset time already past as no hint, so backoff applies', () => {
    const headers = { 'x-ratelimit-reset-tokens': String(NOW / 1000 - 5) };

    expect(retryAfterMs(headers, NOW)).toBeNull();
  });

  it('gives no hint when the headers say nothing usable', () => {
    const headers = { 'retry-after': 'soon', 'x-ratelimit-remaining-tokens': '5' };

    expect(retryAfterMs(headers, NOW)).toBeNull();
  });
});

describe('resetMs', () => {
  it.each([
    ['6m0s', 360_000],
    ['20ms', 20],
    ['90', 90_000],
    [String(NOW / 1000 + 30), 30_000],
    [String(NOW / 1000 + 7.5), 7_500],
    [String(NOW + 1_500), 1_500],
  ])('reads %s as %i ms from now', (text, expected) => {
    expect(resetMs(text, NOW)).toBe(expected);
  });

  it.each([String(NOW / 1000), String(NOW / 1000 - 60), 'soon'])('gives no wait for %s', (text) => {
    expect(resetMs(text, NOW)).toBeNull();
  });
});

describe('durationMs', () => {
  it.each([
    ['1s', 1_000],
    ['20ms', 20],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['2', 2_000],
  ])('reads %s as %i ms', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });

  it.each(['', 'abc', '5 minutes', '1s2x'])('refuses %j', (text) => {
    expect(durationMs(text)).toBeNull();
  });
});
