import { IncomingHttpHeaders } from 'node:http';

import { retryAfterMs } from './retry-hint';
import { FatalReason, TransientReason } from './key-health.types';

/**
 * What one upstream attempt says about the call and about the key (DESIGN.md section 6):
 * relay it (`success`, or a `client_error` the request caused), or try another key, setting
 * this one aside for a while (`rate_limited`, `transient`) or for good (`fatal`).
 */
export type AttemptVerdict =
  | { kind: 'success' }
  | { kind: 'client_error' }
  | { kind: 'rate_limited'; retryAfterMs: number | null; detail: string }
  | { kind: 'transient'; reason: TransientReason; detail: string }
  | { kind: 'fatal'; reason: FatalReason; detail: string };

/** Error codes that mean the account behind the key cannot pay: retrying the key is useless. */
const QUOTA_CODES = new Set([
  'insufficient_quota',
  'billing_hard_limit_reached',
  'billing_not_active',
  'quota_exceeded',
]);

const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504, 529]);

/** Whether the verdict of an answer with `status` needs its body (to tell quota from rate). */
export function verdictNeedsBody(status: number): boolean {
  return status === 429;
}

/** The verdict on a provider's answer; `body` is read only when {@link verdictNeedsBody}. */
export function answerVerdict(
  status: number,
  headers: IncomingHttpHeaders,
  now: number,
  body?: string,
): AttemptVerdict {
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 401) return { kind: 'fatal', reason: 'unauthorized', detail: 'HTTP 401' };
  if (status === 403) return { kind: 'fatal', reason: 'forbidden', detail: 'HTTP 403' };
  if (status === 402) return { kind: 'fatal', reason: 'quota', detail: 'HTTP 402' };
  if (status === 429) {
    const code = quotaCode(body);
    if (code) return { kind: 'fatal', reason: 'quota', detail: code };

    return { kind: 'rate_limited', retryAfterMs: retryAfterMs(headers, now), detail: 'HTTP 429' };
  }
  if (TRANSIENT_STATUSES.has(status) || status >= 500) {
    return {
      kind: 'transient',
      reason: status === 408 ? 'timeout' : 'server_error',
      detail: `HTTP ${status}`,
    };
  }

  return { kind: 'client_error' };
}

/** The verdict on an attempt that got no answer (timeouts, refused or reset connections). */
export function failureVerdict(error: unknown): AttemptVerdict {
  const code = errorCode(error);
  const timeout = TIMEOUTS[code] ?? (isTimeoutSignal(error) ? 'deadline' : undefined);
  if (timeout) return { kind: 'transient', reason: 'timeout', detail: timeout };
  if (code === 'UND_ERR_SOCKET') {
    return { kind: 'transient', reason: 'unreachable', detail: 'connection reset' };
  }

  const detail = /^E[A-Z_]+$/.test(code) ? code : 'connection failed';

  return { kind: 'transient', reason: 'unreachable', detail };
}

const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'first byte timeout',
  UND_ERR_BODY_TIMEOUT: 'idle timeout',
  ETIMEDOUT: 'connect timeout',
  XAI_FIRST_BYTE_TIMEOUT: 'first byte timeout',
  XAI_IDLE_TIMEOUT: 'idle timeout',
};

/** An abort by `AbortSignal.timeout`. */
function isTimeoutSignal(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;

  return cause && cause !== error ? errorCode(cause) : '';
}

/** The quota code in an OpenAI-shaped error body, if the body has one. */
function quotaCode(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; type?: unknown } };
    const { code, type } = parsed.error ?? {};
    for (const value of [code, type]) {
      if (typeof value === 'string' && QUOTA_CODES.has(value)) return value;
    }
  } catch {
    return undefined;
  }

  return undefined;
}
