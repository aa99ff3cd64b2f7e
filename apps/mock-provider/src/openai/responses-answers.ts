import { randomUUID } from 'node:crypto';

import { MockAnswer, SsePayload } from '../exchange/answer-writer';
import { MockTurn, mockTurn } from '../model/mock-turn';
import { openAiError } from './openai-error';
import { parseOpenAiRequest } from './openai-requests';
import { StoredResponse, inputItemsOf } from './response-store';
import {
  ResponsesRequest,
  ResponsesRequestSchema,
  responsesConversation,
} from './responses-conversation';

/** Reasoning tokens the mock reports when a request sets a reasoning effort. */
const REASONING_TOKENS = 8;

type OutputItem = Record<string, unknown> & { type: string; id: string };

/** The responses kept for the API key a request came with. */
export interface ResponseMemory {
  find(id: string): StoredResponse | undefined;
  keep(stored: StoredResponse): void;
}

/**
 * `POST /v1/responses`: a `response` object, or its stream events when `stream` is set. The
 * answer is the mock's usual turn (text, or parallel function calls when tools are offered).
 * Usage reports cached input tokens (half the prompt) when `prompt_cache_key` is set and
 * reasoning tokens when `reasoning.effort` is, so metering of both can be checked. The
 * response is kept in `memory` unless `store` is false; `previous_response_id` continues a
 * kept one (the whole chain's input and output come before the new input), and is a 404
 * otherwise.
 */
export function answerResponse(body: unknown, memory: ResponseMemory): MockAnswer {
  const parsed = parseOpenAiRequest(ResponsesRequestSchema, body);
  if (!parsed.ok) return { kind: 'json', status: 400, body: parsed.error };
  const request = parsed.request;
  const previousId = request.previous_response_id;
  const previous = previousId ? memory.find(previousId) : undefined;
  if (previousId && !previous) return notFound(previousId);
  const input = inputItemsOf(request.input);
  const context = previous ? [...previous.context, ...outputOf(previous), ...input] : input;
  const turn = mockTurn(responsesConversation({ ...request, input: context }));
  const response = responseObject(request, turn);
  if (request.store !== false) memory.keep({ response, input, context });
  if (!request.stream) return { kind: 'json', status: 200, body: response };

  return { kind: 'sse', payloads: responseEvents(response, turn) };
}

function outputOf(stored: StoredResponse): Array<Record<string, unknown>> {
  return stored.response.output as Array<Record<string, unknown>>;
}

/** OpenAI's 404 for a previous response this key did not store. */
function notFound(id: string): MockAnswer {
  return {
    kind: 'json',
    status: 404,
    body: openAiError(
      `Previous response with id '${id}' not found.`,
      'invalid_request_error',
      'previous_response_id',
      'previous_response_not_found',
    ),
  };
}

function responseObject(request: ResponsesRequest, turn: MockTurn) {
  const truncated = turn.kind === 'text' && turn.stop === 'length';

  return {
    id: `resp_${randomUUID().replaceAll('-', '')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: truncated ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: truncated ? { reason: 'max_output_tokens' } : null,
    model: request.model,
    output: outputItems(turn, truncated),
    usage: usageOf(request, turn),
    ...echoOf(request),
  };
}

function usageOf(request: ResponsesRequest, turn: MockTurn) {
  const effort = request.reasoning?.effort;
  const reasoningTokens = effort && effort !== 'none' ? REASONING_TOKENS : 0;
  const cached = request.prompt_cache_key ? Math.floor(turn.promptTokens / 2) : 0;
  const outputTokens = turn.completionTokens + reasoningTokens;

  return {
    input_tokens: turn.promptTokens,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: turn.promptTokens + outputTokens,
  };
}

/** The request's settings, repeated in the response as OpenAI does. */
function echoOf(request: ResponsesRequest) {
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    background: request.background ?? false,
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    metadata: request.metadata ?? {},
  };
}

function outputItems(turn: MockTurn, truncated: boolean): OutputItem[] {
  if (turn.kind === 'tools') {
    return turn.calls.map((call) => ({
      type: 'function_call',
      id: `fc_${call.id}`,
      call_id: `call_${call.id}`,
      name: call.name,
      arguments: call.json,
      status: 'completed',
    }));
  }
  const text = { type: 'output_text', text: turn.content, annotations: [], logprobs: [] };

  return [
    {
      type: 'message',
      id: `msg_${randomUUID().replaceAll('-', '')}`,
      status: truncated ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [text],
    },
  ];
}

type EventOf = (type: string, fields: Record<string, unknown>) => SsePayload;

/**
 * The events of a streamed response, as OpenAI sends them: `response.created` and
 * `response.in_progress`, then per output item `output_item.added`, its content part or its
 * arguments in pieces, the `….done` events, and `response.completed` (or `incomplete`) with
 * the whole response and its usage. Each carries the next `sequence_number`.
 */
function responseEvents(response: ReturnType<typeof responseObject>, turn: MockTurn): SsePayload[] {
  let sequence = 0;
  const event: EventOf = (type, fields) => ({
    event: type,
    data: JSON.stringify({ type, sequence_number: sequence++, ...fields }),
  });
  const opening = { ...response, status: 'in_progress', output: [], usage: null };
  const events = [
    event('response.created', { response: opening }),
    event('response.in_progress', { response: opening }),
  ];
  response.output.forEach((item, outputIndex) => {
    const pieces = turn.kind === 'text' ? turn.pieces : [];
    events.push(
      ...(item.type === 'function_call'
        ? functionCallEvents(event, item, outputIndex)
        : messageEvents(event, item, outputIndex, pieces)),
      event('response.output_item.done', { output_index: outputIndex, item }),
    );
  });
  events.push(event(`response.${response.status}`, { response }));

  return events;
}

/** A function call: added without arguments, which then come in two pieces. */
function functionCallEvents(event: EventOf, item: OutputItem, outputIndex: number): SsePayload[] {
  const where = { item_id: item.id, output_index: outputIndex };
  const args = String(item.arguments);
  const half = Math.ceil(args.length / 2);

  return [
    event('response.output_item.added', {
      output_index: outputIndex,
      item: { ...item, arguments: '', status: 'in_progress' },
    }),
    ...[args.slice(0, half), args.slice(half)]
      .filter((piece) => piece !== '')
      .map((delta) => event('response.function_call_arguments.delta', { ...where, delta })),
    event('response.function_call_arguments.done', { ...where, arguments: args }),
  ];
}

/** A message: added empty, one text part, one delta per piece. */
function messageEvents(
  event: EventOf,
  item: OutputItem,
  outputIndex: number,
  pieces: string[],
): SsePayload[] {
  const at = { item_id: item.id, output_index: outputIndex, content_index: 0 };
  const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
  const text = pieces.join('');

  return [
    event('response.output_item.added', {
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    }),
    event('response.content_part.added', { ...at, part }),
    ...pieces.map((delta) => event('response.output_text.delta', { ...at, delta, logprobs: [] })),
    event('response.output_text.done', { ...at, text, logprobs: [] }),
    event('response.content_part.done', { ...at, part: { ...part, text } }),
  ];
}
