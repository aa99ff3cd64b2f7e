import { z } from 'zod';

import { openAiError, OpenAiErrorBody } from './openai-error';

const ChatMessageSchema = z.object({ role: z.string(), content: z.unknown() }).passthrough();

/** The fields of a chat completion request the mock reads; others pass unchecked. */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
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
