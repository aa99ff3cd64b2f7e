import { isUtf8 } from 'node:buffer';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { requireModelName } from '../routing/model-name';
import { findTopLevelValues, replaceTopLevelValue } from './json-body';

/** An OpenAI-shaped request body, validated just enough to route it; the rest is untouched. */
export interface OpenAiRequest {
  text: string;
  json: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** Whether the client asked for the usage chunk at the end of a stream. */
  clientWantsUsage: boolean;
}

/** Parses the raw body of an OpenAI-shaped POST, or throws a 400 naming what is wrong. */
export function parseOpenAiRequest(body: unknown): OpenAiRequest {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw invalid(GatewayErrorCode.InvalidJson, 'The request body must be a JSON object.');
  }
  // JSON is UTF-8 (RFC 8259); decoding other bytes would replace them, so the provider would
  // not receive what the client sent.
  if (!isUtf8(body)) {
    throw invalid(GatewayErrorCode.InvalidJson, 'The request body is not valid UTF-8.');
  }
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(
      GatewayErrorCode.InvalidJson,
      `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(GatewayErrorCode.InvalidJson, 'The request body must be a JSON object.');
  }
  const fields = json as Record<string, unknown>;
  const model = requireModelName(fields.model);
  if (fields.stream !== undefined && typeof fields.stream !== 'boolean') {
    throw invalid(GatewayErrorCode.InvalidRequest, '"stream" must be a boolean.', 'stream');
  }

  return {
    text,
    json: fields,
    model,
    stream: fields.stream === true,
    clientWantsUsage: streamOptions(fields).include_usage === true,
  };
}

/**
 * The body sent upstream: the client's text with only the model replaced and, for streams,
 * the usage chunk requested so the call can be metered (it is not shown to a client that did
 * not ask for it).
 */
export function upstreamBody(request: OpenAiRequest, upstreamModel: string): string {
  let text = request.text;
  if (upstreamModel !== request.model || repeated(text, 'model')) {
    text = replaceTopLevelValue(text, 'model', JSON.stringify(upstreamModel));
  }
  if (repeated(text, 'stream')) {
    text = replaceTopLevelValue(text, 'stream', JSON.stringify(request.stream));
  }
  if (request.stream && !request.clientWantsUsage) {
    const options = { ...streamOptions(request.json), include_usage: true };
    text = replaceTopLevelValue(text, 'stream_options', JSON.stringify(options));
  }

  return text;
}

/** A key given twice: parsers disagree on which value wins, so the router writes one. */
function repeated(text: string, key: string): boolean {
  return findTopLevelValues(text, key).length > 1;
}

function streamOptions(fields: Record<string, unknown>): Record<string, unknown> {
  const options = fields.stream_options;

  return typeof options === 'object' && options !== null
    ? (options as Record<string, unknown>)
    : {};
}

function invalid(code: GatewayErrorCode, message: string, param?: string): GatewayException {
  return new GatewayException(code, message, { param });
}
