import { IncomingHttpHeaders } from 'node:http';

import { retryAfterMs } from './retry-hint';
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

const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504, 529]);

/**
 * Whether the verdict of an answer with `status` needs its body: to tell quota from rate
 * (429), and a refused model from a refused key (403).
 */
export function verdictNeedsBody(status: number): boolean {
  return status === 429 || status === 403;
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

/** The code, type and message of an error body (OpenAI's, Anthropic's or Gemini's shape). */
function errorFields(body: string | undefined): {
  code?: string;
  type?: string;
  message?: string;
} {
  if (!body) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: body };
  }
  const root = typeof parsed === 'object' && parsed !== null ? (parsed as Fields) : {};
  const error =
    typeof root.error === 'object' && root.error !== null ? (root.error as Fields) : root;

  return { code: text(error.code), type: text(error.type), message: text(error.message) };
}

type Fields = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
