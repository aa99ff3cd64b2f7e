import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { MockAnswer } from '../exchange/answer-writer';
import { MockTextTurn, mockTurn } from '../model/mock-turn';
import { parseOpenAiRequest } from './openai-requests';

/** The fields of a legacy completions request the mock reads; others pass unchecked. */
const CompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    prompt: z.union([z.string(), z.array(z.string()).min(1)]),
    max_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
  })
  .passthrough();

type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

/**
 * `POST /v1/completions` (legacy): a `text_completion` with the mock's usual text for the
 * prompt as one message, or its chunks when `stream` is set (the finish reason on the last
 * text chunk, a usage chunk with no choices when `include_usage` is set, then `[DONE]`).
 */
export function answerTextCompletion(body: unknown): MockAnswer {
  const parsed = parseOpenAiRequest(CompletionRequestSchema, body);
  if (!parsed.ok) return { kind: 'json', status: 400, body: parsed.error };
  const request = parsed.request;
  const turn = textTurn(request);
  const head = {
    id: `cmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
  const finishReason = turn.stop === 'length' ? 'length' : 'stop';
  const usage = {
    prompt_tokens: turn.promptTokens,
    completion_tokens: turn.completionTokens,
    total_tokens: turn.promptTokens + turn.completionTokens,
  };
  const choice = (text: string, finish: string | null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });
  if (!request.stream) {
    return {
      kind: 'json',
      status: 200,
      body: { ...head, choices: [choice(turn.content, finishReason)], usage },
    };
  }
  const includeUsage = request.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: object = {}) =>
    JSON.stringify({ ...head, choices, ...extra });
  const payloads = turn.pieces.map((piece, index) =>
    chunk([choice(piece, index === turn.pieces.length - 1 ? finishReason : null)]),
  );
  if (includeUsage) payloads.push(chunk([], { usage }));
  payloads.push('[DONE]');

  return { kind: 'sse', payloads };
}

/** The mock's text for the prompt as one user message (tools do not exist here). */
function textTurn(request: CompletionRequest): MockTextTurn {
  const prompt = typeof request.prompt === 'string' ? request.prompt : request.prompt.join('');
  const stop = request.stop ?? [];
  const turn = mockTurn({
    model: request.model,
    messageCount: 1,
    promptText: prompt,
    maxTokens: request.max_tokens ?? null,
    stopSequences: typeof stop === 'string' ? [stop] : stop,
    tools: [],
    toolChoice: { kind: 'none' },
    parallelToolCalls: false,
    toolResults: [],
    endsWithUser: true,
    json: null,
  });
  if (turn.kind !== 'text') throw new Error('a mock turn without tools is always text');

  return turn;
}
