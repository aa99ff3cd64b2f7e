import { MockAnswer } from '../exchange/answer-writer';
import { mockTurn } from '../model/mock-turn';
import { anthropicConversation, promptText } from './anthropic-conversation';
import { anthropicMessage, anthropicStreamEvents, messageId } from './anthropic-message';
import {
  CountTokensRequestSchema,
  MessagesRequestSchema,
  parseAnthropicRequest,
} from './anthropic-requests';

const json = (status: number, body: unknown): MockAnswer => ({ kind: 'json', status, body });

/**
 * `POST /v1/messages`: a `message`, or its events when `stream` is set. A request that marks
 * any block `cache_control` is told half its prompt came from the cache, so cache reads show
 * up in usage deterministically.
 */
export function answerMessages(body: unknown): MockAnswer {
  const parsed = parseAnthropicRequest(MessagesRequestSchema, body);
  if (!parsed.ok) return json(400, parsed.error);
  const request = parsed.request;
  const turn = mockTurn(anthropicConversation(request));
  const cacheReadTokens = JSON.stringify(request).includes('"cache_control"')
    ? Math.floor(turn.promptTokens / 2)
    : 0;
  const meta = { id: messageId(), model: request.model, cacheReadTokens };
  if (!request.stream) return json(200, anthropicMessage(meta, turn));

  return { kind: 'sse', payloads: anthropicStreamEvents(meta, turn) };
}

/** `POST /v1/messages/count_tokens`: the prompt tokens the same request would use. */
export function answerCountTokens(body: unknown): MockAnswer {
  const parsed = parseAnthropicRequest(CountTokensRequestSchema, body);
  if (!parsed.ok) return json(400, parsed.error);
  const request = parsed.request;
  const inputTokens = Math.ceil(promptText(request).length / 4) + 3 * request.messages.length;

  return json(200, { input_tokens: inputTokens });
}
