import { ChatReply } from './chat-reply';

const SYSTEM_FINGERPRINT = 'fp_mock';

/** Who answered: the same id, time and model on the whole completion or every chunk. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/** Usage in OpenAI's shape, with the detail objects real answers carry. */
export function openAiUsage(reply: ChatReply) {
  return {
    prompt_tokens: reply.promptTokens,
    completion_tokens: reply.completionTokens,
    total_tokens: reply.promptTokens + reply.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** A complete `chat.completion` object. */
export function chatCompletion(meta: CompletionMeta, reply: ChatReply) {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content,
          refusal: null,
          annotations: [],
          ...(reply.toolCalls.length > 0
            ? { tool_calls: reply.toolCalls.map(toolCallObject) }
            : {}),
        },
        logprobs: null,
        finish_reason: reply.finishReason,
      },
    ],
    usage: openAiUsage(reply),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/**
 * The SSE data payloads of a streamed completion, in order: a role delta, one content delta
 * per piece, the finish reason, then (only with `include_usage`, when every other chunk
 * carries `usage: null`) a usage chunk with no choices, and finally `[DONE]`.
 */
export function chatCompletionChunks(
  meta: CompletionMeta,
  reply: ChatReply,
  includeUsage: boolean,
): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
    JSON.stringify({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const payloads =
    reply.toolCalls.length > 0
      ? toolCallDeltas(reply).map((delta) => chunk(delta, null))
      : [
          chunk({ role: 'assistant', content: '', refusal: null }, null),
          ...reply.pieces.map((piece) => chunk({ content: piece }, null)),
        ];
  payloads.push(chunk({}, reply.finishReason));
  if (includeUsage) payloads.push(usageChunk(meta, reply));
  payloads.push('[DONE]');

  return payloads;
}

function toolCallObject(call: ChatReply['toolCalls'][number]) {
  return {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  };
}

/**
 * Tool calls stream as OpenAI streams them: the first chunk carries the role and the first
 * call's id and name, each call's arguments follow in two pieces, then the next call starts.
 */
function toolCallDeltas(reply: ChatReply): Record<string, unknown>[] {
  return reply.toolCalls.flatMap((call, index) => {
    const head = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    const half = Math.ceil(call.arguments.length / 2);
    const argumentDeltas = [call.arguments.slice(0, half), call.arguments.slice(half)]
      .filter((piece) => piece !== '')
      .map((piece) => ({ tool_calls: [{ index, function: { arguments: piece } }] }));
    const start =
      index === 0
        ? { role: 'assistant', content: null, refusal: null, tool_calls: [head] }
        : { tool_calls: [head] };

    return [start, ...argumentDeltas];
  });
}

function usageChunk(meta: CompletionMeta, reply: ChatReply): string {
  return JSON.stringify({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [],
    usage: openAiUsage(reply),
  });
}
