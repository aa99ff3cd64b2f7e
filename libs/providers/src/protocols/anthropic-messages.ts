import { z } from 'zod';

import { JsonObjectSchema } from './json';

/*
 * Anthropic's Messages API, as far as translation reads or writes it. Like the OpenAI
 * schemas, request schemas check what the translators use and let other fields through.
 */

const CacheControl = { cache_control: z.unknown().optional() };

const TextBlockSchema = z
  .object({ type: z.literal('text'), text: z.string(), ...CacheControl })
  .passthrough();

const ImageSourceSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) })
    .passthrough(),
  z.object({ type: z.literal('url'), url: z.string().min(1) }).passthrough(),
  z.object({ type: z.literal('file'), file_id: z.string().min(1) }).passthrough(),
]);

const ImageBlockSchema = z
  .object({ type: z.literal('image'), source: ImageSourceSchema, ...CacheControl })
  .passthrough();

const DocumentSourceSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) })
    .passthrough(),
  z.object({ type: z.literal('text'), media_type: z.string(), data: z.string() }).passthrough(),
  z.object({ type: z.literal('url'), url: z.string().min(1) }).passthrough(),
  z.object({ type: z.literal('content'), content: z.unknown() }).passthrough(),
  z.object({ type: z.literal('file'), file_id: z.string().min(1) }).passthrough(),
]);

const DocumentBlockSchema = z
  .object({
    type: z.literal('document'),
    source: DocumentSourceSchema,
    title: z.string().nullish(),
    ...CacheControl,
  })
  .passthrough();

const ToolUseBlockSchema = z
  .object({
    type: z.literal('tool_use'),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.unknown(),
    ...CacheControl,
  })
  .passthrough();

const ToolResultContentSchema = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [TextBlockSchema, ImageBlockSchema, DocumentBlockSchema])),
]);

const ToolResultBlockSchema = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: ToolResultContentSchema.optional(),
    is_error: z.boolean().optional(),
    ...CacheControl,
  })
  .passthrough();

const ThinkingBlockSchema = z
  .object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() })
  .passthrough();

const RedactedThinkingBlockSchema = z
  .object({ type: z.literal('redacted_thinking'), data: z.string() })
  .passthrough();

/** A content block of a request message. */
export const AnthropicBlockSchema = z.discriminatedUnion('type', [
  TextBlockSchema,
  ImageBlockSchema,
  DocumentBlockSchema,
  ToolUseBlockSchema,
  ToolResultBlockSchema,
  ThinkingBlockSchema,
  RedactedThinkingBlockSchema,
]);

const MessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.union([z.string(), z.array(AnthropicBlockSchema)]),
  })
  .passthrough();

const ToolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.object({ type: z.literal('none') }),
]);

const ThinkingSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() })
    .passthrough(),
  z.object({ type: z.literal('disabled') }).passthrough(),
  z.object({ type: z.literal('adaptive') }).passthrough(),
]);

const OutputConfigSchema = z
  .object({
    effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
    format: z
      .object({ type: z.literal('json_schema'), schema: JsonObjectSchema })
      .passthrough()
      .nullish(),
  })
  .passthrough();

/** The fields of `POST /v1/messages` that translation reads. */
export const AnthropicRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(MessageSchema).min(1),
    system: z.union([z.string(), z.array(TextBlockSchema)]).optional(),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
    tools: z.array(z.unknown()).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    thinking: ThinkingSchema.optional(),
    metadata: z.object({ user_id: z.string().nullish() }).passthrough().optional(),
    output_config: OutputConfigSchema.optional(),
  })
  .passthrough();

/** A client tool (`custom`); server tools carry a versioned `type` and are refused. */
export const AnthropicCustomToolSchema = z
  .object({
    type: z.literal('custom').nullish(),
    name: z.string().min(1),
    description: z.string().optional(),
    input_schema: JsonObjectSchema,
    ...CacheControl,
  })
  .passthrough();

export type AnthropicRequest = z.infer<typeof AnthropicRequestSchema>;
export type AnthropicMessage = z.infer<typeof MessageSchema>;
export type AnthropicBlock = z.infer<typeof AnthropicBlockSchema>;
export type AnthropicToolResultBlock = z.infer<typeof ToolResultBlockSchema>;
export type AnthropicCustomTool = z.infer<typeof AnthropicCustomToolSchema>;
export type AnthropicToolChoice = z.infer<typeof ToolChoiceSchema>;

const UsageSchema = z
  .object({
    input_tokens: z.number().int().nonnegative().nullish(),
    output_tokens: z.number().int().nonnegative().nullish(),
    cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
    cache_read_input_tokens: z.number().int().nonnegative().nullish(),
    output_tokens_details: z
      .object({ thinking_tokens: z.number().int().nonnegative().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

/** A content block of an answer; kinds other than text and tool_use are read by `type` only. */
const ResponseBlockSchema = z
  .object({
    type: z.string(),
    text: z.string().optional(),
    id: z.string().optional(),
    name: z.string().optional(),
    input: z.unknown().optional(),
  })
  .passthrough();

/** A `message` as Anthropic answers it. */
export const AnthropicResponseSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    content: z.array(ResponseBlockSchema),
    stop_reason: z.string().nullish(),
    stop_sequence: z.string().nullish(),
    usage: UsageSchema,
  })
  .passthrough();

/** The delta of a `content_block_delta` (typed) or of a `message_delta` (stop reason). */
const DeltaSchema = z
  .object({
    type: z.string().optional(),
    text: z.string().optional(),
    partial_json: z.string().optional(),
    stop_reason: z.string().nullish(),
    stop_sequence: z.string().nullish(),
  })
  .passthrough();

/** One event of a streamed answer; unknown event types are allowed and skipped. */
export const AnthropicStreamEventSchema = z
  .object({
    type: z.string(),
    message: AnthropicResponseSchema.partial({ content: true }).optional(),
    index: z.number().int().nonnegative().optional(),
    content_block: ResponseBlockSchema.optional(),
    delta: DeltaSchema.optional(),
    usage: UsageSchema.optional(),
    error: z.object({ type: z.string(), message: z.string() }).passthrough().optional(),
  })
  .passthrough();

export type AnthropicUsage = z.infer<typeof UsageSchema>;
export type AnthropicResponse = z.infer<typeof AnthropicResponseSchema>;
export type AnthropicStreamEvent = z.infer<typeof AnthropicStreamEventSchema>;
