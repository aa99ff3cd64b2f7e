import { z } from 'zod';

import {
  MockConversation,
  MockToolChoice,
  MockToolResult,
  contentText,
} from '../model/mock-conversation';

const ItemSchema = z.object({ type: z.string().optional() }).passthrough();

/** The fields of a `POST /v1/responses` request the mock reads; others pass unchecked. */
export const ResponsesRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(ItemSchema).min(1)]),
    instructions: z.string().nullish(),
    stream: z.boolean().nullish(),
    max_output_tokens: z.number().int().min(16).nullish(),
    tools: z
      .array(
        z
          .object({ type: z.string(), name: z.string().optional(), parameters: z.unknown() })
          .passthrough(),
      )
      .nullish(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z.object({ type: z.string(), name: z.string().optional() }).passthrough(),
      ])
      .nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z
      .object({
        format: z
          .object({ type: z.string(), schema: z.record(z.unknown()).optional() })
          .passthrough()
          .nullish(),
      })
      .passthrough()
      .nullish(),
    reasoning: z.object({ effort: z.string().nullish() }).passthrough().nullish(),
    prompt_cache_key: z.string().nullish(),
    previous_response_id: z.string().nullish(),
  })
  .passthrough();

export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;

type Item = z.infer<typeof ItemSchema>;

/** Reduces a Responses request to what the mock "model" looks at. */
export function responsesConversation(request: ResponsesRequest): MockConversation {
  const items: Item[] =
    typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input;
  const texts = items.map(itemText);
  if (request.instructions) texts.unshift(request.instructions);

  return {
    model: request.model,
    messageCount: items.length,
    promptText: texts.join(''),
    maxTokens: request.max_output_tokens ?? null,
    stopSequences: [],
    tools: (request.tools ?? []).flatMap((tool) =>
      tool.type === 'function' && tool.name ? [{ name: tool.name, schema: tool.parameters }] : [],
    ),
    toolChoice: toolChoice(request.tool_choice),
    parallelToolCalls: request.parallel_tool_calls !== false,
    toolResults: trailingToolResults(items),
    endsWithUser: isUserMessage(items.at(-1)),
    json: jsonWish(request.text?.format),
  };
}

function itemText(item: Item): string {
  if (item.type === 'function_call') return `${String(item.name)}${String(item.arguments)}`;
  if (item.type === 'function_call_output') return contentText(item.output);

  return contentText(item.content);
}

function isUserMessage(item: Item | undefined): boolean {
  return item !== undefined && (item.type ?? 'message') === 'message' && item.role === 'user';
}

function toolChoice(choice: ResponsesRequest['tool_choice']): MockToolChoice {
  if (choice === 'none') return { kind: 'none' };
  if (choice === 'required') return { kind: 'required' };
  if (typeof choice === 'object' && choice !== null && choice.name) {
    return { kind: 'named', name: choice.name };
  }

  return { kind: 'auto' };
}

/** The `function_call_output` items ending the input, named after the calls they answer. */
function trailingToolResults(items: Item[]): MockToolResult[] {
  const names = new Map<unknown, string>();
  for (const item of items) {
    if (item.type === 'function_call' && typeof item.name === 'string') {
      names.set(item.call_id, item.name);
    }
  }
  const results: MockToolResult[] = [];
  for (
    let index = items.length - 1;
    index >= 0 && items[index].type === 'function_call_output';
    index--
  ) {
    const item = items[index];
    results.unshift({ name: names.get(item.call_id) ?? null, content: contentText(item.output) });
  }

  return results;
}

function jsonWish(
  format: NonNullable<ResponsesRequest['text']>['format'],
): MockConversation['json'] {
  if (!format || format.type === 'text') return null;
  if (format.type === 'json_schema') return format.schema ?? 'any';

  return 'any';
}
