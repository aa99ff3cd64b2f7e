import { Usage } from '@xai/events';
import {
  AnthropicStreamUsage,
  CallerProtocol,
  ChatStreamTranslator,
  HeaderBag,
  ProviderAdapter,
  ProviderKeyTarget,
  SseEvent,
  anthropicCountTokensToGemini,
  chatTranslationOptionsFor,
  createChatStreamTranslator,
  extractAnthropicUsage,
  extractGeminiUsage,
  geminiCountTokensToAnthropic,
  providerAdapter,
  translateChatError,
  translateChatRequest,
  translateChatResponse,
  upstreamRequestHeaders,
} from '@xai/providers';

import { readUsage } from '../audit/usage-details';
import { RoutableKey } from '../routing/tenant-routing';
import { replaceTopLevelValue } from './json-body';
import { OpenAiRequest, upstreamBody } from './openai-request';
import { prepareCompletionsCall, prepareEmbeddingsCall } from './path-calls';
import { ResponsesTarget, prepareResponsesCall } from './responses-call';
import type { StreamEnding } from './responses-stream-ending';

/** What the caller asked for, before a key is chosen. */
export interface ChatCall {
  caller: CallerProtocol;
  operation: 'chat' | 'count-tokens' | 'responses' | 'completions' | 'embeddings';
  request: OpenAiRequest;
  clientHeaders: HeaderBag;
  /** Told the id of a Responses API response a key stored (pass-through calls only). */
  onStoredResponse?: (key: RoutableKey, responseId: string) => void;
}

/** One key's upstream call, in the key's protocol. */
export interface PreparedCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** How to read the answer: set when the key's protocol is not the caller's. */
  translation?: AnswerTranslation;
  /** Follows a pass-through Anthropic stream's usage. */
  streamUsage?: { observe(event: SseEvent): void; readonly usage: Usage | null };
  /** Ends a broken pass-through stream in its protocol's own events (the Responses API's). */
  streamEnding?: StreamEnding;
  /** Reads usage from a non-streamed answer in the key's protocol. */
  usageOf: (json: unknown) => Usage | null;
}

/**
 * What reading the answer of a prepared call needs, without the request itself (URL, headers
 * with the secret, body): the relay keeps this for as long as a stream lasts, the request is
 * let go once sent.
 */
export type AnswerReading = Omit<PreparedCall, 'url' | 'headers' | 'body'>;

/** How a translated answer is turned back into the caller's protocol. */
export interface AnswerTranslation {
  body(json: unknown): object;
  error(status: number, body: unknown): object;
  /** `maxEventLength` caps the provider's event lines (see `SseParser`). */
  stream(maxEventLength?: number): ChatStreamTranslator;
}

/**
 * Prepares the call of one key (DESIGN.md section 5): same protocol passes the caller's bytes
 * through with only the model replaced; another protocol is translated both ways.
 */
export function prepareCall(
  call: ChatCall,
  key: RoutableKey,
  secret: string,
  upstreamModel: string,
): PreparedCall {
  const adapter = providerAdapter(key.providerType);
  const target: ProviderKeyTarget = { baseUrl: key.baseUrl, secret, settings: key.settings };
  const headers = {
    ...upstreamRequestHeaders(adapter, target, call.clientHeaders, call.caller),
    'content-type': 'application/json',
  };
  const usageOf = usageReader(adapter.protocol);
  if (call.operation === 'count-tokens') {
    return prepareCountTokens(call, adapter, target, headers, upstreamModel);
  }
  const to = { key, adapter, target, headers, upstreamModel, usageOf };
  if (call.operation === 'responses') return prepareResponsesCall(call, to);
  if (call.operation === 'completions') return prepareCompletionsCall(call, to);
  if (call.operation === 'embeddings') return prepareEmbeddingsCall(call, to);
  const stream = call.request.stream;
  if (adapter.protocol === call.caller) {
    const url = adapter.url(target, { kind: 'chat', model: upstreamModel, stream });
    const body = passThroughBody(call, upstreamModel);
    const streamUsage = call.caller === 'anthropic' ? new AnthropicStreamUsage() : undefined;

    return { url, headers, body, usageOf, streamUsage };
  }
  const json = { ...call.request.json, model: upstreamModel };
  const options = chatTranslationOptionsFor(key.providerType, target);
  const translated = translateChatRequest(call.caller, adapter.protocol, json, options);
  const context = translated.context;

  return translatedCall(to, translated, {
    body: (answer) => translateChatResponse(context, answer),
    error: (status, answer) => translateChatError(context, status, answer),
    stream: (maxLineLength) => createChatStreamTranslator(context, { maxLineLength }),
  });
}

/**
 * A call translated for the key's protocol: its chat endpoint (`generateContent`, Messages,
 * chat completions) with the translated body, and how its answer is read back.
 */
export function translatedCall(
  to: ResponsesTarget,
  translated: { body: object; model: string; stream: boolean },
  translation: AnswerTranslation,
): PreparedCall {
  const operation = { kind: 'chat', model: translated.model, stream: translated.stream } as const;

  return {
    url: to.adapter.url(to.target, operation),
    headers: to.headers,
    body: JSON.stringify(translated.body),
    usageOf: to.usageOf,
    translation,
  };
}

function prepareCountTokens(
  call: ChatCall,
  adapter: ProviderAdapter,
  target: ProviderKeyTarget,
  headers: Record<string, string>,
  upstreamModel: string,
): PreparedCall {
  // OpenAI-protocol adapters have no token counting: their url() refuses with a 400.
  const url = adapter.url(target, { kind: 'count-tokens', model: upstreamModel });
  const noUsage = (): null => null;
  if (adapter.protocol !== 'gemini') {
    return { url, headers, body: passThroughBody(call, upstreamModel), usageOf: noUsage };
  }
  const translated = anthropicCountTokensToGemini({ ...call.request.json, model: upstreamModel });
  const context = { from: 'anthropic', to: 'gemini' } as const;

  return {
    url,
    headers,
    body: JSON.stringify(translated.body),
    usageOf: noUsage,
    translation: {
      body: (answer) => geminiCountTokensToAnthropic(answer),
      error: (status, answer) => translateChatError(context, status, answer),
      stream: () => {
        throw new Error('count_tokens never streams');
      },
    },
  };
}

function passThroughBody(call: ChatCall, upstreamModel: string): string {
  if (call.caller === 'openai') return upstreamBody(call.request, upstreamModel);
  if (upstreamModel === call.request.model) return call.request.text;

  return replaceTopLevelValue(call.request.text, 'model', JSON.stringify(upstreamModel));
}

function usageReader(protocol: string): (json: unknown) => Usage | null {
  if (protocol === 'anthropic') return extractAnthropicUsage;
  if (protocol === 'gemini') return extractGeminiUsage;

  return readUsage;
}
