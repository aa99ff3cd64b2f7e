import { IncomingHttpHeaders } from 'node:http';

import { bodyRetryDelayMs, retryAfterMs } from './retry-hint';
import { FatalReason, TransientReason } from './key-health.types';

/**
 * What one upstream attempt says about the call and about the key (DESIGN.md section 6):
 * relay it (`success`, or a `client_error` the request caused), or try another key, setting
 * this one aside for a while (`rate_limited`, `transient`), for good (`fatal`), or only for
 * the model asked for (`model_refused`: a 403 saying this key may not use that model).
 */
export type AttemptVerdict =
  | { kind: 'success' }
  | { kind: 'client_error' }
  | { kind: 'model_refused'; detail: string }
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

/** Error codes that mean this key may not use the model asked for (the key itself is fine). */
const MODEL_REFUSAL_CODES = new Set([
  'model_not_found',
  'model_not_allowed',
  'model_access_denied',
]);

/** A refusal message about the model, rather than about the key as a whole. */
const MODEL_REFUSAL_TEXT =
  /\bmodel\b.*\b(not found|does not exist|not (allowed|permitted|available|supported)|no access)|(do(es)? not have|without) access to (the )?model/i;

/**
 * A 400 that is about the account, not the request (DESIGN.md section 6: quota and billing
 * errors are never retried on the same key): Anthropic's "Your credit balance is too low …"
 * (an `invalid_request_error`), and Gemini's `FAILED_PRECONDITION` asking to enable billing.
 * Each maps to a short, secret-free detail.
 */
const BILLING_REFUSALS: readonly { pattern: RegExp; detail: string }[] = [
  { pattern: /credit balance is too low/i, detail: 'credit balance too low' },
  { pattern: /\benable billing\b|\bbilling (is )?(not enabled|disabled)\b/i, detail: 'billing' },
];

/** Gemini answers an invalid or expired API key with a 400 whose `ErrorInfo` says so. */
const GEMINI_KEY_REFUSALS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED']);

const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504, 529]);

/**
 * Whether the verdict of an answer with `status` needs its body: to tell quota from rate
 * (429), a refused model from a refused key (403), and a billing or key refusal from a bad
 * request (400).
 */
export function verdictNeedsBody(status: number): boolean {
  return status === 429 || status === 403 || status === 400;
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
  if (status === 403) {
    const refusal = modelRefusal(body);
    if (refusal) return { kind: 'model_refused', detail: `HTTP 403 ${refusal}` };

    return { kind: 'fatal', reason: 'forbidden', detail: 'HTTP 403' };
  }
  if (status === 402) return { kind: 'fatal', reason: 'quota', detail: 'HTTP 402' };
  if (status === 400) return badRequestVerdict(body);
  if (status === 429) {
    const code = quotaCode(body);
    if (code) return { kind: 'fatal', reason: 'quota', detail: code };
    const wait = retryAfterMs(headers, now) ?? bodyRetryDelayMs(errorFields(body).retryDelay);

    return { kind: 'rate_limited', retryAfterMs: wait, detail: 'HTTP 429' };
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

/**
 * A 400 is the request's fault and goes back to the caller, unless its body says the account
 * cannot pay (a quota verdict) or, Gemini's way, that the key itself is refused.
 */
function badRequestVerdict(body: string | undefined): AttemptVerdict {
  const { code, type, message, reasons } = errorFields(body);
  const quota = [code, type].find((value) => value !== undefined && QUOTA_CODES.has(value));
  if (quota) return { kind: 'fatal', reason: 'quota', detail: quota };
  const billing = BILLING_REFUSALS.find(({ pattern }) => message && pattern.test(message));
  if (billing) return { kind: 'fatal', reason: 'quota', detail: billing.detail };
  const keyRefusal = reasons.find((reason) => GEMINI_KEY_REFUSALS.has(reason));
  if (keyRefusal) return { kind: 'fatal', reason: 'unauthorized', detail: keyRefusal };

  return { kind: 'client_error' };
}

/** Error types and codes of a stream's error event that mean the key is throttled. */
const RATE_LIMIT_TYPES = new Set(['rate_limit_error', 'rate_limit_exceeded', 'RESOURCE_EXHAUSTED']);

/** Error types of a stream's error event that the request caused (relayed, not retried). */
const REQUEST_ERROR_TYPES = new Set(['invalid_request_error', 'INVALID_ARGUMENT']);

/**
 * The verdict on a stream whose first event is an error (nothing has reached the caller yet,
 * so another key may still serve): undefined when the event is no error. Anthropic's `event:
 * error`, or a `data` object with an `error` (OpenAI, Gemini) or `type: "error"`.
 */
export function streamErrorVerdict(event: {
  event: string;
  data: string;
}): AttemptVerdict | undefined {
  if (!isErrorEvent(event)) return undefined;
  const { code, type, message } = errorFields(event.data);
  const label = [type, code].find(
    (value) => value !== undefined && /^[A-Za-z_]{1,40}$/.test(value),
  );
  const detail = `stream error${label ? ` ${label}` : ''}`;
  const quota = [code, type].find((value) => value !== undefined && QUOTA_CODES.has(value));
  if (quota || BILLING_REFUSALS.some(({ pattern }) => message && pattern.test(message))) {
    return { kind: 'fatal', reason: 'quota', detail };
  }
  if ([code, type].some((value) => value !== undefined && RATE_LIMIT_TYPES.has(value))) {
    return { kind: 'rate_limited', retryAfterMs: null, detail };
  }
  if (type !== undefined && REQUEST_ERROR_TYPES.has(type)) return { kind: 'client_error' };

  return { kind: 'transient', reason: 'server_error', detail };
}

function isErrorEvent(event: { event: string; data: string }): boolean {
  if (event.event === 'error') return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    return false;
  }

  return isFields(parsed) && (parsed.type === 'error' || isFields(parsed.error));
}

/** The verdict on an attempt that got no answer (timeouts, refused or reset connections). */
export function failureVerdict(error: unknown): AttemptVerdict {
  const code = errorCode(error);
  const timeout = TIMEOUTS[code] ?? (isTimeoutSignal(error) ? 'deadline' : undefined);
  if (timeout) return { kind: 'transient', reason: 'timeout', detail: timeout };
  if (SERVER_FAILURES[code]) {
    return { kind: 'transient', reason: 'server_error', detail: SERVER_FAILURES[code] };
  }
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

/** Failures of an answer under way that are the provider's fault, not the network's. */
const SERVER_FAILURES: Record<string, string> = {
  XAI_STREAM_INCOMPLETE: 'stream ended without finishing',
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
  const { code, type } = errorFields(body);

  return [code, type].find((value) => value !== undefined && QUOTA_CODES.has(value));
}

/**
 * Why a 403 refuses only the model: OpenAI's `model_not_found` code, or a message such as
 * "does not have access to model …" (OpenAI, Gemini and compatible hosts word it alike).
 * A short, secret-free label for the detail; undefined when the key itself is refused.
 */
function modelRefusal(body: string | undefined): string | undefined {
  const { code, type, message } = errorFields(body);
  const known = [code, type].find((value) => value !== undefined && MODEL_REFUSAL_CODES.has(value));
  if (known) return known;

  return message !== undefined && MODEL_REFUSAL_TEXT.test(message) ? 'model refused' : undefined;
}

/**
 * The code, type (Gemini's `status`) and message of an error body (OpenAI's, Anthropic's or
 * Gemini's shape), with the `reason`s and retry delay of Gemini's `details`.
 */
function errorFields(body: string | undefined): {
  code?: string;
  type?: string;
  message?: string;
  reasons: string[];
  retryDelay?: string;
} {
  if (!body) return { reasons: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: body, reasons: [] };
  }
  const root = typeof parsed === 'object' && parsed !== null ? (parsed as Fields) : {};
  const error =
    typeof root.error === 'object' && root.error !== null ? (root.error as Fields) : root;
  const details = Array.isArray(error.details) ? error.details.filter(isFields) : [];

  return {
    code: text(error.code),
    type: text(error.type) ?? text(error.status),
    message: text(error.message),
    reasons: details.flatMap((detail) => text(detail.reason) ?? []),
    retryDelay: details.map((detail) => text(detail.retryDelay)).find(Boolean),
  };
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
