import { CallerProtocol } from '@xai/providers';

import { StreamEnding } from './responses-stream-ending';
import { errorEvent } from './sse-relay';

/** Endpoints whose answers can stream; a `stream` flag elsewhere asks for nothing. */
const STREAMING_ENDPOINTS = [
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/responses',
  '/v1/messages',
];

/** Whether a stream request's 200 answer came whole (JSON) where an event stream was due. */
export function cameUnstreamed(endpoint: string, stream: boolean, contentType: string): boolean {
  return (
    stream && STREAMING_ENDPOINTS.includes(endpoint) && !contentType.includes('text/event-stream')
  );
}

const NOT_STREAMED = {
  code: 'upstream_stream_error',
  message: 'The provider answered without streaming, though the request asked for a stream.',
} as const;

/**
 * The SSE text a client of a stream gets when the provider answered the whole answer at once:
 * a chat completion becomes the chunks that stream it, then `[DONE]`; any other answer ends
 * the stream with an error event saying so (`ending` writes it for the Responses API).
 */
export function unstreamedAnswerEvents(
  answer: unknown,
  caller: CallerProtocol,
  failure: { requestId: string; ending?: StreamEnding },
): { text: string; converted: boolean } {
  const chunks = caller === 'openai' ? chatCompletionChunks(answer) : null;
  if (chunks) {
    const data = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');

    return { text: `${data}data: [DONE]\n\n`, converted: true };
  }
  const text =
    failure.ending?.failure(NOT_STREAMED, failure.requestId) ??
    errorEvent(caller, failure.requestId, NOT_STREAMED);

  return { text, converted: false };
}

/**
 * The chunks streaming a chat completion would have sent: per choice, one chunk with the
 * whole message (tool calls indexed) and its finish reason; then the usage chunk.
 */
export function chatCompletionChunks(answer: unknown): object[] | null {
  if (!isObject(answer) || answer.object !== 'chat.completion' || !Array.isArray(answer.choices)) {
    return null;
  }
  const { choices, usage, ...common } = answer;
  const chunk = { ...common, object: 'chat.completion.chunk' };
  const deltas = choices.filter(isObject).map((choice) => ({
    ...chunk,
    choices: [
      {
        index: choice.index ?? 0,
        delta: deltaOf(choice.message),
        logprobs: choice.logprobs ?? null,
        finish_reason: choice.finish_reason ?? null,
      },
    ],
  }));

  return usage === undefined ? deltas : [...deltas, { ...chunk, choices: [], usage }];
}

function deltaOf(message: unknown): Record<string, unknown> {
  if (!isObject(message)) return {};
  const { tool_calls: toolCalls, ...rest } = message;
  if (!Array.isArray(toolCalls)) return rest;

  return {
    ...rest,
    tool_calls: toolCalls.map((call: unknown, index) => ({
      index,
      ...(isObject(call) ? call : {}),
    })),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
