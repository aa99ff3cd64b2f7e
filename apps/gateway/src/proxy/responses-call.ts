import { Usage } from '@xai/events';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  ResponsesStreamUsage,
  chatTranslationOptionsFor,
  createResponsesStreamTranslator,
  translateResponsesError,
  translateResponsesRequest,
  translateResponsesResponse,
} from '@xai/providers';

import { readUsage } from '../audit/usage-details';
import { RoutableKey } from '../routing/tenant-routing';
import { ChatCall, PreparedCall, translatedCall } from './chat-call';
import { findTopLevelValues, replaceTopLevelValue } from './json-body';
import { ResponsesStreamEnding } from './responses-stream-ending';
import { StoredResponseWatch } from './stored-response-watch';

/** What a Responses call needs beyond the caller's request, for one key. */
export interface ResponsesTarget {
  key: RoutableKey;
  adapter: ProviderAdapter;
  target: ProviderKeyTarget;
  headers: Record<string, string>;
  upstreamModel: string;
  usageOf: (json: unknown) => Usage | null;
}

/**
 * Prepares a `POST /v1/responses` call for one key. OpenAI-type keys get the caller's bytes
 * with only the model replaced (stateful features such as `previous_response_id` and
 * `store` work there, and only there), and the usage of a stream is read from its final
 * `response.completed` event; the id of a response the key stored is reported to
 * `call.onStoredResponse`. Anthropic and Gemini keys get the request translated, and the
 * answer comes back as a Responses object or Responses stream events.
 */
export function prepareResponsesCall(call: ChatCall, to: ResponsesTarget): PreparedCall {
  const { adapter, target, headers, upstreamModel } = to;
  if (adapter.protocol === 'openai') {
    // No model in the operation: Azure serves Responses beside its deployments, not under one.
    const url = adapter.url(target, { kind: 'path', path: '/responses' });
    const body = responsesPassThroughBody(call, upstreamModel);
    const watch = new StoredResponseWatch((id) => call.onStoredResponse?.(to.key, id));
    const streamUsage = call.request.stream
      ? watch.watching(new ResponsesStreamUsage(readUsage))
      : undefined;
    const usageOf = (json: unknown): Usage | null => {
      watch.fromBody(json);

      return readUsage(json);
    };
    const streamEnding = call.request.stream ? new ResponsesStreamEnding() : undefined;

    return { url, headers, body, usageOf, streamUsage, streamEnding };
  }
  const json = { ...call.request.json, model: upstreamModel };
  const options = chatTranslationOptionsFor(to.key.providerType, target);
  const translated = translateResponsesRequest(adapter.protocol, json, options);
  const context = translated.context;

  return translatedCall(to, translated, {
    body: (answer) => translateResponsesResponse(context, answer),
    error: (status, answer) => translateResponsesError(context, status, answer),
    stream: (maxLineLength) => createResponsesStreamTranslator(context, { maxLineLength }),
  });
}

/**
 * The caller's bytes with the model replaced; a key given twice (`model`, `stream`) is written
 * once with the value the router read, since parsers disagree on which one wins.
 */
function responsesPassThroughBody(call: ChatCall, upstreamModel: string): string {
  const request = call.request;
  let text = request.text;
  if (upstreamModel !== request.model || findTopLevelValues(text, 'model').length > 1) {
    text = replaceTopLevelValue(text, 'model', JSON.stringify(upstreamModel));
  }
  if (findTopLevelValues(text, 'stream').length > 1) {
    text = replaceTopLevelValue(text, 'stream', JSON.stringify(request.stream));
  }

  return text;
}
