import { IncomingHttpHeaders } from 'node:http';

/** The longest wait a provider's hint is taken at its word for. */
const MAX_HINT_MS = 24 * 3600 * 1000;

/**
 * The shortest sleep a hint can ask for: a `Retry-After: 0` (or a reset already past) must not
 * turn a throttled key into a loop of immediate retries and probes.
 */
const MIN_HINT_MS = 1000;

/** OpenAI's reset headers and the remaining-count header that says whether each is spent. */
const RESETS = [
  ['x-ratelimit-reset-requests', 'x-ratelimit-remaining-requests'],
  ['x-ratelimit-reset-tokens', 'x-ratelimit-remaining-tokens'],
] as const;

/**
 * How long a rate-limited key should wait, from the provider's headers: `retry-after-ms`, then
 * `Retry-After` (seconds or an HTTP date), then the rate-limit resets (`x-ratelimit-reset-*`,
 * durations such as `6m0s`; only the spent limits count when the remaining counts are given,
 * and the longest wins). `null` when the provider gives no usable hint.
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

  return resetHint(headers);
}

function resetHint(headers: IncomingHttpHeaders): number | null {
  const resets = RESETS.flatMap(([reset, remaining]) => {
    const ms = durationMs(header(headers, reset));
    const left = numberOf(header(headers, remaining));

    return ms === null ? [] : [{ ms, spent: left === 0, known: left !== null }];
  });
  if (resets.length === 0) return null;
  const spent = resets.filter((reset) => reset.spent);
  const chosen = spent.length > 0 ? spent : resets.filter((reset) => !reset.known);
  if (chosen.length === 0) return null;

  return clamp(Math.max(...chosen.map((reset) => reset.ms)));
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
