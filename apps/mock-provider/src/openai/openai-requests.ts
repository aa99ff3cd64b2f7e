import { z } from 'zod';

import { openAiError, OpenAiErrorBody } from './openai-error';

const ChatMessageSchema = z.object({ role: z.string(), content: z.unknown() }).passthrough();

const FunctionToolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({ name: z.string().min(1), parameters: z.unknown().optional() })
      .passthrough(),
  })
  .passthrough();

/** The fields of a chat completion request the mock reads; others pass unchecked. */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    tools: z.array(FunctionToolSchema).nullish(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z
          .object({ type: z.literal('function'), function: z.object({ name: z.string() }) })
          .passthrough(),
      ])
      .nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: z
      .object({
        type: z.enum(['text', 'json_object', 'json_schema']),
        json_schema: z
          .object({ name: z.string(), schema: z.record(z.unknown()).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

const TokenArray = z.array(z.number().int().nonnegative()).min(1);

/** The fields of an embeddings request the mock reads. */
export const EmbeddingsRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([
      z.string(),
      z.array(z.string()).min(1),
      TokenArray,
      z.array(TokenArray).min(1),
    ]),
    dimensions: z.number().int().positive().max(8192).optional(),
    encoding_format: z.enum(['float', 'base64']).optional(),
  })
  .passthrough();

export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;

/** Validates a request body, or explains the first problem the way OpenAI does. */
export function parseOpenAiRequest<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; request: T } | { ok: false; error: OpenAiErrorBody } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue.path.length > 0 ? issue.path.join('.') : null;
  const message = param ? `Invalid value for '${param}': ${issue.message}` : issue.message;

  return { ok: false, error: openAiError(message, 'invalid_request_error', param) };
}

/**
 * Checks tool-call pairing the way OpenAI does: an assistant message with `tool_calls` must be
 * followed by one tool message per call id, and a tool message must answer a call of the
 * assistant message before it.
 */
export function toolPairingError(request: ChatCompletionRequest): OpenAiErrorBody | null {
  const messages = request.messages;
  for (const [index, message] of messages.entries()) {
    const ids = callIds(message);
    if (ids.length === 0) continue;
    const answered = new Set<string>();
    for (let next = index + 1; next < messages.length && messages[next].role === 'tool'; next++) {
      const id = messages[next].tool_call_id;
      if (typeof id !== 'string' || !ids.includes(id)) {
        return openAiError(
          `Tool message ${next} answers no tool call of message ${index}.`,
          'invalid_request_error',
          `messages.[${next}].tool_call_id`,
        );
      }
      answered.add(id);
    }
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return openAiError(
        `The tool calls of message ${index} need tool messages answering them: ${missing.join(', ')}.`,
        'invalid_request_error',
        `messages.[${index}].role`,
      );
    }
  }
  const orphan = messages.findIndex(
    (message, index) => message.role === 'tool' && !followsToolCalls(messages, index),
  );
  if (orphan === -1) return null;

  return openAiError(
    "Messages with role 'tool' must answer a preceding message with 'tool_calls'.",
    'invalid_request_error',
    `messages.[${orphan}].role`,
  );
}

/** Whether the tool message at `index` belongs to a run of tool messages after tool calls. */
function followsToolCalls(messages: ChatCompletionRequest['messages'], index: number): boolean {
  let previous = index - 1;
  while (previous >= 0 && messages[previous].role === 'tool') previous--;

  return previous >= 0 && callIds(messages[previous]).length > 0;
}

function callIds(message: { role: string; tool_calls?: unknown }): string[] {
  if (message.role !== 'assistant' || !Array.isArray(message.tool_calls)) return [];

  return message.tool_calls.flatMap((call: unknown) =>
    typeof call === 'object' && call !== null && 'id' in call && typeof call.id === 'string'
      ? [call.id]
      : [],
  );
}
