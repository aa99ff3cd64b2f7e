import { z } from 'zod';

import { JsonObjectSchema } from './json';

/*
 * OpenAI's chat completions API, as far as translation reads or writes it. Request schemas
 * check what the translators use and let other fields through (`passthrough`), so the
 * translators can decide per field whether it translates, is a harmless hint, or is refused.
 */

const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() }).passthrough();

const ImagePartSchema = z
  .object({
    type: z.literal('image_url'),
    image_url: z
      .object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() })
      .passthrough(),
  })
  .passthrough();

const AudioPartSchema = z
  .object({
    type: z.literal('input_audio'),
    input_audio: z.object({ data: z.string().min(1), format: z.string().min(1) }).passthrough(),
  })
  .passthrough();

const FilePartSchema = z
  .object({
    type: z.literal('file'),
    file: z
      .object({
        file_data: z.string().min(1).optional(),
        file_id: z.string().min(1).optional(),
        filename: z.string().optional(),
      })
      .passthrough(),
  })
  .passthrough();

const RefusalPartSchema = z
  .object({ type: z.literal('refusal'), refusal: z.string() })
  .passthrough();

const UserPartSchema = z.discriminatedUnion('type', [
  TextPartSchema,
  ImagePartSchema,
  AudioPartSchema,
  FilePartSchema,
]);

const ToolCallSchema = z
  .object({
    id: z.string().min(1),
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1), arguments: z.string() }).passthrough(),
  })
  .passthrough();

const TextContentSchema = z.union([z.string(), z.array(TextPartSchema)]);

const SystemMessageSchema = z
  .object({ role: z.enum(['system', 'developer']), content: TextContentSchema })
  .passthrough();

const UserMessageSchema = z
  .object({ role: z.literal('user'), content: z.union([z.string(), z.array(UserPartSchema)]) })
  .passthrough();

const AssistantMessageSchema = z
  .object({
    role: z.literal('assistant'),
    content: z
      .union([
        z.string(),
        z.array(z.discriminatedUnion('type', [TextPartSchema, RefusalPartSchema])),
      ])
      .nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(ToolCallSchema).nullish(),
  })
  .passthrough();

const ToolMessageSchema = z
  .object({ role: z.literal('tool'), content: TextContentSchema, tool_call_id: z.string().min(1) })
  .passthrough();

const FunctionMessageSchema = z.object({ role: z.literal('function') }).passthrough();

/** One message of a chat completion request. */
export const OpenAiMessageSchema = z.discriminatedUnion('role', [
  SystemMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
  FunctionMessageSchema,
]);

const FunctionToolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().min(1),
        description: z.string().optional(),
        parameters: JsonObjectSchema.optional(),
        strict: z.boolean().nullish(),
      })
      .passthrough(),
  })
  .passthrough();

const ToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z
    .object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) })
    .passthrough(),
]);

const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).passthrough(),
  z.object({ type: z.literal('json_object') }).passthrough(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: z.string().min(1),
          description: z.string().optional(),
          schema: JsonObjectSchema.optional(),
          strict: z.boolean().nullish(),
        })
        .passthrough(),
    })
    .passthrough(),
]);

/** The fields of `POST /v1/chat/completions` that translation reads. */
export const OpenAiChatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(OpenAiMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    n: z.number().int().positive().nullish(),
    tools: z.array(z.unknown()).nullish(),
    tool_choice: ToolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: ResponseFormatSchema.nullish(),
    reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
    user: z.string().nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().nullish(),
    frequency_penalty: z.number().nullish(),
  })
  .passthrough();

/** Function tools are the only kind other protocols can express. */
export const OpenAiFunctionToolSchema = FunctionToolSchema;

export type OpenAiChatRequest = z.infer<typeof OpenAiChatRequestSchema>;
export type OpenAiMessage = z.infer<typeof OpenAiMessageSchema>;
export type OpenAiUserPart = z.infer<typeof UserPartSchema>;
export type OpenAiToolCall = z.infer<typeof ToolCallSchema>;
export type OpenAiFunctionTool = z.infer<typeof FunctionToolSchema>;
export type OpenAiToolChoice = z.infer<typeof ToolChoiceSchema>;
export type OpenAiResponseFormat = z.infer<typeof ResponseFormatSchema>;
export type OpenAiTextContent = z.infer<typeof TextContentSchema>;

const UsageSchema = z
  .object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative().default(0),
    total_tokens: z.number().int().nonnegative().optional(),
    prompt_tokens_details: z
      .object({ cached_tokens: z.number().int().nonnegative().nullish() })
      .passthrough()
      .nullish(),
    completion_tokens_details: z
      .object({ reasoning_tokens: z.number().int().nonnegative().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

const ResponseToolCallSchema = z
  .object({
    id: z.string().optional(),
    type: z.literal('function').optional(),
    function: z.object({ name: z.string(), arguments: z.string() }).passthrough(),
  })
  .passthrough();

/** A `chat.completion` as an OpenAI-compatible provider answers it. */
export const OpenAiChatResponseSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    choices: z.array(
      z
        .object({
          index: z.number().int().nonnegative().default(0),
          finish_reason: z.string().nullish(),
          message: z
            .object({
              content: z.string().nullish(),
              refusal: z.string().nullish(),
              tool_calls: z.array(ResponseToolCallSchema).nullish(),
            })
            .passthrough(),
        })
        .passthrough(),
    ),
    usage: UsageSchema.nullish(),
  })
  .passthrough();

const ChunkToolCallSchema = z
  .object({
    index: z.number().int().nonnegative(),
    id: z.string().nullish(),
    function: z
      .object({ name: z.string().nullish(), arguments: z.string().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

/** A `chat.completion.chunk` of a streamed answer. */
export const OpenAiChatChunkSchema = z
  .object({
    id: z.string().default(''),
    model: z.string().default(''),
    choices: z
      .array(
        z
          .object({
            index: z.number().int().nonnegative().default(0),
            finish_reason: z.string().nullish(),
            delta: z
              .object({
                content: z.string().nullish(),
                refusal: z.string().nullish(),
                tool_calls: z.array(ChunkToolCallSchema).nullish(),
              })
              .passthrough()
              .default({}),
          })
          .passthrough(),
      )
      .default([]),
    usage: UsageSchema.nullish(),
  })
  .passthrough();

export type OpenAiUsage = z.infer<typeof UsageSchema>;
export type OpenAiChatResponse = z.infer<typeof OpenAiChatResponseSchema>;
export type OpenAiChatChunk = z.infer<typeof OpenAiChatChunkSchema>;
