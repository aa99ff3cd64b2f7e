import { z } from 'zod';

import { JsonObjectSchema } from './json';

/*
 * OpenAI's Responses API (`POST /v1/responses`), as far as translation reads it. Like the chat
 * schemas, objects let unknown fields through (`passthrough`) so the translator decides per
 * field whether it translates or is refused. Input items and tools are read one by one by
 * their `type`, so an unsupported type is refused by name rather than failing a union.
 */

export const ResponsesTextPartSchema = z
  .object({ type: z.enum(['input_text', 'output_text']), text: z.string() })
  .passthrough();

/** A content part of an input message: `input_text`, `input_image`, `input_file`, … */
const InputPartSchema = z.object({ type: z.string().min(1) }).passthrough();

const MessageContentSchema = z.union([z.string(), z.array(InputPartSchema)]);

/** A message item; the short form (`{ role, content }`) has no `type`. */
export const ResponsesMessageItemSchema = z
  .object({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: MessageContentSchema,
  })
  .passthrough();

export const ResponsesFunctionCallItemSchema = z
  .object({
    type: z.literal('function_call'),
    call_id: z.string().min(1),
    name: z.string().min(1),
    arguments: z.string(),
  })
  .passthrough();

export const ResponsesFunctionCallOutputItemSchema = z
  .object({
    type: z.literal('function_call_output'),
    call_id: z.string().min(1),
    output: z.union([z.string(), z.array(InputPartSchema)]),
  })
  .passthrough();

export const ResponsesFunctionToolSchema = z
  .object({
    type: z.literal('function'),
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: JsonObjectSchema.nullish(),
    strict: z.boolean().nullish(),
  })
  .passthrough();

const ToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.string().min(1), name: z.string().optional() }).passthrough(),
]);

const TextFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).passthrough(),
  z.object({ type: z.literal('json_object') }).passthrough(),
  z
    .object({
      type: z.literal('json_schema'),
      name: z.string().min(1),
      schema: JsonObjectSchema,
      description: z.string().nullish(),
      strict: z.boolean().nullish(),
    })
    .passthrough(),
]);

/** The fields of `POST /v1/responses` that translation reads. */
export const ResponsesRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(JsonObjectSchema)]).nullish(),
    instructions: z.string().nullish(),
    stream: z.boolean().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    tools: z.array(JsonObjectSchema).nullish(),
    tool_choice: ToolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z
      .object({ format: TextFormatSchema.nullish(), verbosity: z.string().nullish() })
      .passthrough()
      .nullish(),
    reasoning: z
      .object({ effort: z.string().nullish(), summary: z.string().nullish() })
      .passthrough()
      .nullish(),
    metadata: z.record(z.string()).nullish(),
    user: z.string().nullish(),
  })
  .passthrough();

export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;
export type ResponsesMessageItem = z.infer<typeof ResponsesMessageItemSchema>;
export type ResponsesInputPart = z.infer<typeof InputPartSchema>;
export type ResponsesFunctionTool = z.infer<typeof ResponsesFunctionToolSchema>;
export type ResponsesToolChoice = z.infer<typeof ToolChoiceSchema>;
export type ResponsesTextFormat = z.infer<typeof TextFormatSchema>;
