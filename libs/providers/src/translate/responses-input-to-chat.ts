import type { z } from 'zod';

import { isJsonObject } from '../protocols/json';
import {
  ResponsesFunctionCallItemSchema,
  ResponsesFunctionCallOutputItemSchema,
  ResponsesInputPart,
  ResponsesMessageItem,
  ResponsesMessageItemSchema,
  ResponsesRequest,
  ResponsesTextPartSchema,
} from '../protocols/openai-responses';
import { TranslationException } from './translation.exception';

/** A chat message as the chat translators read it (`OpenAiMessageSchema`). */
export type ChatMessageIn = { role: string } & Record<string, unknown>;

type ChatToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

/** Why an input item type cannot be translated. */
const REFUSED_ITEMS: Record<string, string> = {
  reasoning: 'reasoning items can be read back only by OpenAI',
  item_reference: 'item references point at items stored at OpenAI',
};

/**
 * The chat messages of a Responses request: `instructions` first as a system message, then
 * `input` — a string is one user message; message items keep their role (system and developer
 * become system messages); `function_call` items join the assistant message before them (or
 * open one), so parallel calls of one turn stay one turn with distinct ids;
 * `function_call_output` items become tool messages.
 *
 * @throws TranslationException naming the first item or part that cannot be translated.
 */
export function responsesInputToChatMessages(
  request: ResponsesRequest,
  target: string,
): ChatMessageIn[] {
  const messages: ChatMessageIn[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  const input = request.input;
  if (typeof input === 'string') messages.push({ role: 'user', content: input });
  for (const [index, item] of (Array.isArray(input) ? input : []).entries()) {
    addItem(messages, item, `input.${index}`, target);
  }
  if (!messages.some((message) => message.role !== 'system')) {
    throw new TranslationException('input', "'input' must hold at least one message.");
  }

  return messages;
}

function addItem(
  messages: ChatMessageIn[],
  item: Record<string, unknown>,
  path: string,
  target: string,
): void {
  const type = item.type ?? 'message';
  if (typeof type !== 'string') {
    throw new TranslationException(`${path}.type`, `Invalid value for '${path}.type'.`);
  }
  switch (type) {
    case 'message':
      messages.push(chatMessage(parseAt(ResponsesMessageItemSchema, item, path), path, target));

      return;
    case 'function_call':
      addFunctionCall(messages, parseAt(ResponsesFunctionCallItemSchema, item, path));

      return;
    case 'function_call_output': {
      const result = parseAt(ResponsesFunctionCallOutputItemSchema, item, path);
      const content = textOf(result.output, `${path}.output`, target);
      messages.push({ role: 'tool', tool_call_id: result.call_id, content });

      return;
    }
    default:
      throw TranslationException.unsupported(
        `${path}.type`,
        target,
        REFUSED_ITEMS[type] ?? `'${type}' items belong to tools OpenAI runs itself`,
      );
  }
}

function addFunctionCall(
  messages: ChatMessageIn[],
  call: { call_id: string; name: string; arguments: string },
): void {
  const toolCall: ChatToolCall = {
    id: call.call_id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  };
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    const calls = Array.isArray(last.tool_calls) ? (last.tool_calls as ChatToolCall[]) : [];
    last.tool_calls = [...calls, toolCall];

    return;
  }
  messages.push({ role: 'assistant', content: null, tool_calls: [toolCall] });
}

function chatMessage(item: ResponsesMessageItem, path: string, target: string): ChatMessageIn {
  const content = item.content;
  switch (item.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(content, `${path}.content`, target) };
    case 'assistant':
      return { role: 'assistant', content: assistantContent(content, `${path}.content`, target) };
    case 'user':
      return { role: 'user', content: userContent(content, `${path}.content`, target) };
  }
}

function userContent(
  content: string | ResponsesInputPart[],
  path: string,
  target: string,
): string | object[] {
  if (typeof content === 'string') return content;

  return content.map((part, index) => userPart(part, `${path}.${index}`, target));
}

function userPart(part: ResponsesInputPart, path: string, target: string): object {
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: parseAt(ResponsesTextPartSchema, part, path).text };
    case 'input_image':
      refuseStoredFile(part, path, target);
      if (typeof part.image_url !== 'string' || part.image_url === '') {
        throw new TranslationException(`${path}.image_url`, `'${path}.image_url' is required.`);
      }

      return {
        type: 'image_url',
        image_url: {
          url: part.image_url,
          ...(typeof part.detail === 'string' ? { detail: part.detail } : {}),
        },
      };
    case 'input_file':
      refuseStoredFile(part, path, target);
      if (typeof part.file_data !== 'string' || part.file_data === '') {
        throw new TranslationException(`${path}.file_data`, `'${path}.file_data' is required.`);
      }

      return {
        type: 'file',
        file: {
          file_data: part.file_data,
          ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
        },
      };
    default:
      throw TranslationException.unsupported(`${path}.type`, target, 'the part type is not known');
  }
}

/** Uploaded files (`file_id`) and files OpenAI fetches (`file_url`) exist only at OpenAI. */
function refuseStoredFile(part: ResponsesInputPart, path: string, target: string): void {
  for (const field of ['file_id', 'file_url']) {
    if (part[field] !== undefined && part[field] !== null) {
      throw TranslationException.unsupported(
        `${path}.${field}`,
        target,
        'files uploaded to or fetched by OpenAI are not reachable from the provider; send the data',
      );
    }
  }
}

function assistantContent(
  content: string | ResponsesInputPart[],
  path: string,
  target: string,
): string | object[] {
  if (typeof content === 'string') return content;

  return content.map((part, index) => {
    if (part.type === 'refusal' && typeof part.refusal === 'string') {
      return { type: 'refusal', refusal: part.refusal };
    }
    if (part.type !== 'output_text' && part.type !== 'input_text') {
      throw TranslationException.unsupported(
        `${path}.${index}.type`,
        target,
        'assistant messages carry text and refusals only',
      );
    }

    return { type: 'text', text: parseAt(ResponsesTextPartSchema, part, `${path}.${index}`).text };
  });
}

/** Text given as a string or as text parts; any other part is refused. */
function textOf(content: string | ResponsesInputPart[], path: string, target: string): string {
  if (typeof content === 'string') return content;

  return content
    .map((part, index) => {
      if (!isJsonObject(part) || (part.type !== 'input_text' && part.type !== 'output_text')) {
        throw TranslationException.unsupported(
          `${path}.${index}.type`,
          target,
          'only text can be carried here',
        );
      }

      return parseAt(ResponsesTextPartSchema, part, `${path}.${index}`).text;
    })
    .join('');
}

/**
 * Validates one nested value, naming the field by its full path (`input.2.call_id`).
 *
 * @throws TranslationException naming the field.
 */
export function parseAt<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  path: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [path, ...issue.path].join('.');

  throw new TranslationException(field, `Invalid value for '${field}': ${issue.message}.`);
}
