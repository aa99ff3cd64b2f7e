import { IncomingHttpHeaders } from 'node:http';

/** The longest wait a provider's hint is taken at its word for. */
const MAX_HINT_MS = 24 * 3600 * 1000;

/**
 * The shortest sleep a hint can ask for: a `Retry-After: 0` (or a reset already past) must not
 * turn a throttled key into a loop of immediate retries and probes.
 */
const MIN_HINT_MS = 1000;

/**
 * A bare reset value above this is a point in time (Unix seconds, as some OpenAI-compatible
 * hosts send), not a number of seconds to wait: 1e9 seconds from now is thirty years away.
 */
const EPOCH_SECONDS_FLOOR = 1e9;
/** Above this, the point in time is in Unix milliseconds. */
const EPOCH_MS_FLOOR = 1e12;

/** OpenAI's reset headers and the remaining-count header that says whether each is spent. */
const RESETS = [
  ['x-ratelimit-reset-requests', 'x-ratelimit-remaining-requests'],
  ['x-ratelimit-reset-tokens', 'x-ratelimit-remaining-tokens'],
] as const;

/**
 * How long a rate-limited key should wait, from the provider's headers: `retry-after-ms`, then
 * `Retry-After` (seconds or an HTTP date), then the rate-limit resets (`x-ratelimit-reset-*`:
 * durations such as `6m0s`, seconds, or a Unix time in seconds; only the spent limits count
 * when the remaining counts are given, and the longest wins). `null` when the provider gives no
 * usable hint.
 */
export function retryAfterMs(headers: IncomingHttpHeaders, now: number): number | null {
  const ms = numberOf(header(headers, 'retry-after-ms'));
  if (ms !== null) return clamp(ms);

  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = numberOf(retryAfter);
    if (seconds !== null) return clamp(seconds * 1000);
    // Only a date in the future is a hint; a past or garbled one falls back to backoff.
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date) && date > now) return clamp(date - now);
  }

  return resetHint(headers, now);
}

/**
 * How long a rate-limited key should wait from a delay its provider put in the error body
 * (Gemini's `RetryInfo.retryDelay`, such as `"21s"`), within the same bounds as the headers'.
 */
export function bodyRetryDelayMs(delay: string | undefined): number | null {
  const ms = durationMs(delay);

  return ms === null ? null : clamp(ms);
}

function resetHint(headers: IncomingHttpHeaders, now: number): number | null {
  const resets = RESETS.flatMap(([reset, remaining]) => {
    const ms = resetMs(header(headers, reset), now);
    const left = numberOf(header(headers, remaining));

    return ms === null ? [] : [{ ms, spent: left === 0, known: left !== null }];
  });
  if (resets.length === 0) return null;
  const spent = resets.filter((reset) => reset.spent);
  const chosen = spent.length > 0 ? spent : resets.filter((reset) => !reset.known);
  if (chosen.length === 0) return null;

  return clamp(Math.max(...chosen.map((reset) => reset.ms)));
}

/**
 * The wait a reset header asks for: a duration, or the time left until a Unix time (seconds,
 * or milliseconds for the largest values). A reset time already past is no hint.
 */
export function resetMs(text: string | undefined, now: number): number | null {
  const value = numberOf(text);
  if (value === null || value < EPOCH_SECONDS_FLOOR) return durationMs(text);
  const left = (value < EPOCH_MS_FLOOR ? value * 1000 : value) - now;

  return left > 0 ? left : null;
}

/** Reads durations as OpenAI writes them: `1s`, `20ms`, `6m0s`, `1h2m3.5s`, or bare seconds. */
export function durationMs(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  const bare = numberOf(trimmed);
  if (bare !== null) return bare * 1000;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) return null;

  return parts.reduce((total, [, value, unit]) => total + Number(value) * units[unit], 0);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];

  return Array.isArray(value) ? value[0] : value;
}

function numberOf(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return null;

  return Number(text);
}

function clamp(ms: number): number {
  return Math.round(Math.min(MAX_HINT_MS, Math.max(MIN_HINT_MS, ms)));
}
