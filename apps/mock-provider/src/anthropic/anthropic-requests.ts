import { z } from 'zod';

import { AnthropicErrorBody, anthropicError } from './anthropic-error';

const BlockSchema = z.object({ type: z.string() }).passthrough();

const MessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.union([z.string(), z.array(BlockSchema)]),
  })
  .passthrough();

const ToolSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().nullish(),
    input_schema: z.unknown().optional(),
  })
  .passthrough();

const BaseRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(MessageSchema).min(1),
    system: z.union([z.string(), z.array(BlockSchema)]).optional(),
    tools: z.array(ToolSchema).optional(),
    tool_choice: z
      .object({
        type: z.enum(['auto', 'any', 'tool', 'none']),
        name: z.string().optional(),
        disable_parallel_tool_use: z.boolean().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** The fields of `POST /v1/messages` the mock reads; others pass unchecked. */
export const MessagesRequestSchema = BaseRequestSchema.extend({
  max_tokens: z.number().int().min(1),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  output_config: z
    .object({
      format: z
        .object({ type: z.literal('json_schema'), schema: z.record(z.unknown()) })
        .passthrough()
        .nullish(),
    })
    .passthrough()
    .optional(),
});

/** The fields of `POST /v1/messages/count_tokens` the mock reads. */
export const CountTokensRequestSchema = BaseRequestSchema;

export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;
export type AnthropicMessage = MessagesRequest['messages'][number];

const TOOL_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Validates a request the way Anthropic does: the schema, then the tool-use pairing rules
 * (each `tool_use` answered by a `tool_result` in the very next turn; each `tool_result`
 * answering a `tool_use` of the turn before; ids of letters, digits, `_` and `-`).
 */
export function parseAnthropicRequest<T extends z.infer<typeof BaseRequestSchema>>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; request: T } | { ok: false; error: AnthropicErrorBody } {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    const message =
      issue.code === 'invalid_type' && issue.received === 'undefined'
        ? 'Field required'
        : issue.message;

    return {
      ok: false,
      error: anthropicError('invalid_request_error', field ? `${field}: ${message}` : message),
    };
  }
  const problem = toolPairingProblem(parsed.data.messages);

  return problem
    ? { ok: false, error: anthropicError('invalid_request_error', problem) }
    : { ok: true, request: parsed.data };
}

function toolPairingProblem(messages: AnthropicMessage[]): string | null {
  for (const [index, message] of messages.entries()) {
    const uses = blocksOf(message, 'tool_use').map((block) => String(block.id));
    const badId = uses.find((id) => !TOOL_ID.test(id));
    if (badId !== undefined) {
      return `messages.${index}: tool_use id '${badId}' has characters outside [A-Za-z0-9_-]`;
    }
    const previousUses =
      index > 0 ? blocksOf(messages[index - 1], 'tool_use').map((block) => String(block.id)) : [];
    const results = blocksOf(message, 'tool_result').map((block) => String(block.tool_use_id));
    const orphan = results.find((id) => !previousUses.includes(id));
    if (orphan !== undefined) {
      return `messages.${index}: tool_result '${orphan}' answers no tool_use of the previous message`;
    }
    const next = messages[index + 1];
    const answered = next
      ? blocksOf(next, 'tool_result').map((block) => String(block.tool_use_id))
      : [];
    const unanswered = next ? uses.filter((id) => !answered.includes(id)) : [];
    if (unanswered.length > 0) {
      return `messages.${index + 1}: tool_use ids ${unanswered.join(', ')} need tool_result blocks in this message`;
    }
  }

  return null;
}

/** The blocks of one type in a message. */
export function blocksOf(message: AnthropicMessage, type: string): Record<string, unknown>[] {
  return typeof message.content === 'string'
    ? []
    : message.content.filter((block) => block.type === type);
}
