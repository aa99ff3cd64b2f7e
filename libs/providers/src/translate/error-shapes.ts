import type { AnthropicErrorOut } from '../protocols/anthropic-messages-output';
import type { ApiProtocol, CallerProtocol } from '../protocols/api-protocol';
import { isJsonObject } from '../protocols/json';
import type { OpenAiErrorOut } from '../protocols/openai-chat-output';
import { scrubSecrets } from '../scrub-secrets';

/*
 * Error bodies across protocols. Upstream error text reaches the caller only after
 * `scrubSecrets`, in the caller's protocol's shape, so SDKs raise their usual error classes.
 */

const MAX_MESSAGE_LENGTH = 2000;

const ANTHROPIC_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const OPENAI_TYPE_BY_STATUS: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
};

/** The Anthropic error `type` for an HTTP status, as Anthropic's own API uses them. */
export function anthropicErrorTypeForStatus(status: number): string {
  return (
    ANTHROPIC_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
  );
}

/** The OpenAI error `type` for an HTTP status. */
export function openAiErrorTypeForStatus(status: number): string {
  return (
    OPENAI_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error')
  );
}

/** An Anthropic error body: `{ type: 'error', error: { type, message } }`. */
export function anthropicErrorBody(type: string, message: string): AnthropicErrorOut {
  return { type: 'error', error: { type, message } };
}

/** An OpenAI error body: `{ error: { message, type, param, code } }`. */
export function openAiErrorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAiErrorOut {
  return { error: { message, type, param, code } };
}

/** What an upstream error says, whatever its protocol: a scrubbed message and a code. */
export interface UpstreamErrorSummary {
  message: string;
  /** Anthropic's error type, Gemini's status (`INVALID_ARGUMENT`) or OpenAI's code. */
  code: string | null;
}

/**
 * Reads an upstream error body of `protocol` (parsed JSON, or text when it was not JSON) into
 * a scrubbed message and code. Unknown shapes fall back to their text.
 */
export function summariseUpstreamError(
  protocol: ApiProtocol,
  status: number,
  body: unknown,
): UpstreamErrorSummary {
  const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : null;
  const rawMessage =
    error && typeof error.message === 'string'
      ? error.message
      : typeof body === 'string' && body.trim() !== ''
        ? body
        : `The provider answered ${status}.`;
  const codeField = protocol === 'anthropic' ? 'type' : protocol === 'gemini' ? 'status' : 'code';
  const code = error && typeof error[codeField] === 'string' ? error[codeField] : null;

  return { message: scrubSecrets(rawMessage).slice(0, MAX_MESSAGE_LENGTH), code };
}

/**
 * Translates an upstream error body into the caller's protocol, keeping the status. Used for
 * non-2xx answers and for error events inside streams (pass the status the stream started
 * with, or 500 when the event does not say).
 */
export function translateErrorBody(
  provider: ApiProtocol,
  caller: CallerProtocol,
  status: number,
  body: unknown,
): OpenAiErrorOut | AnthropicErrorOut {
  const summary = summariseUpstreamError(provider, status, body);
  if (caller === 'anthropic') {
    const type =
      provider === 'anthropic' && summary.code ? summary.code : anthropicErrorTypeForStatus(status);

    return anthropicErrorBody(type, summary.message);
  }

  return openAiErrorBody(summary.message, openAiErrorTypeForStatus(status), summary.code);
}
