import type {
  AnthropicRequestBlockOut,
  AnthropicRequestMessageOut,
} from '../protocols/anthropic-messages-output';
import type { OpenAiMessage, OpenAiUserPart } from '../protocols/openai-chat';
import { assertRemoteUrl, mimeTypeFromName, parseDataUrl } from './media';
import { parseToolArguments } from './translation-helpers';
import { TranslationException } from './translation.exception';

const TARGET = 'Anthropic';

/** OpenAI messages split the way Anthropic wants them: a system prompt and the turns. */
export interface AnthropicConversation {
  system: { type: 'text'; text: string }[];
  messages: AnthropicRequestMessageOut[];
}

/**
 * Converts OpenAI chat messages to Anthropic's shape. System and developer messages become the
 * top-level `system` prompt (Anthropic has no system turns; they keep their order); tool
 * messages become `tool_result` blocks of a user turn; consecutive turns of one role merge,
 * as Anthropic alternates roles. Messages without content (an empty assistant turn) vanish,
 * since Anthropic refuses empty turns and they say nothing.
 */
export function openAiMessagesToAnthropic(
  messages: readonly OpenAiMessage[],
): AnthropicConversation {
  const conversation: AnthropicConversation = { system: [], messages: [] };
  messages.forEach((message, index) => {
    const field = `messages.${index}`;
    switch (message.role) {
      case 'system':
      case 'developer':
        conversation.system.push(...systemBlocks(message.content));
        break;
      case 'user':
        appendTurn(conversation.messages, 'user', userBlocks(message.content, field));
        break;
      case 'assistant':
        appendTurn(conversation.messages, 'assistant', assistantBlocks(message, field));
        break;
      case 'tool':
        appendTurn(conversation.messages, 'user', [
          {
            type: 'tool_result',
            tool_use_id: anthropicToolId(message.tool_call_id),
            content: toolResultContent(message.content),
          },
        ]);
        break;
      case 'function':
        throw TranslationException.unsupported(`${field}.role`, TARGET, "use 'tool' messages");
    }
  });

  return conversation;
}

function appendTurn(
  turns: AnthropicRequestMessageOut[],
  role: 'user' | 'assistant',
  blocks: AnthropicRequestBlockOut[],
): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function systemBlocks(content: string | { text: string }[]): { type: 'text'; text: string }[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text);

  return texts.filter((text) => text !== '').map((text) => ({ type: 'text', text }));
}

function userBlocks(content: string | OpenAiUserPart[], field: string): AnthropicRequestBlockOut[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];

  return content.map((part, index) => userBlock(part, `${field}.content.${index}`));
}

function userBlock(part: OpenAiUserPart, field: string): AnthropicRequestBlockOut {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return imageBlock(part.image_url.url, `${field}.image_url.url`);
    case 'file':
      return fileBlock(part.file, `${field}.file`);
    case 'input_audio':
      throw TranslationException.unsupported(field, TARGET, 'Anthropic models take no audio');
  }
}

function imageBlock(url: string, field: string): AnthropicRequestBlockOut {
  const inline = parseDataUrl(url, field);
  if (inline) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: inline.mimeType, data: inline.data },
    };
  }
  assertRemoteUrl(url, field);

  return { type: 'image', source: { type: 'url', url } };
}

function fileBlock(
  file: { file_data?: string; file_id?: string; filename?: string },
  field: string,
): AnthropicRequestBlockOut {
  if (file.file_data === undefined) {
    throw TranslationException.unsupported(
      `${field}.file_id`,
      TARGET,
      'uploaded files live at OpenAI; send file_data',
    );
  }
  const inline = parseDataUrl(file.file_data, `${field}.file_data`) ?? {
    mimeType: mimeTypeFromName(file.filename ?? '') ?? '',
    data: file.file_data,
  };
  if (inline.mimeType === 'application/pdf') {
    return {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: inline.data },
      ...(file.filename ? { title: file.filename } : {}),
    };
  }
  if (inline.mimeType.startsWith('image/')) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: inline.mimeType, data: inline.data },
    };
  }
  if (inline.mimeType === 'text/plain') {
    const text = Buffer.from(inline.data, 'base64').toString('utf8');

    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text } };
  }
  throw TranslationException.unsupported(
    `${field}.file_data`,
    TARGET,
    `Anthropic reads PDF, plain text and image files, not '${inline.mimeType || 'unknown'}'`,
  );
}

function assistantBlocks(
  message: Extract<OpenAiMessage, { role: 'assistant' }>,
  field: string,
): AnthropicRequestBlockOut[] {
  const blocks: AnthropicRequestBlockOut[] = [];
  const content = message.content ?? '';
  const texts =
    typeof content === 'string'
      ? [content]
      : content.map((part) => (part.type === 'text' ? part.text : part.refusal));
  if (message.refusal) texts.push(message.refusal);
  for (const text of texts) if (text !== '') blocks.push({ type: 'text', text });
  (message.tool_calls ?? []).forEach((call, index) => {
    const argumentsField = `${field}.tool_calls.${index}.function.arguments`;
    blocks.push({
      type: 'tool_use',
      id: anthropicToolId(call.id),
      name: call.function.name,
      input: parseToolArguments(call.function.arguments, argumentsField),
    });
  });

  return blocks;
}

/**
 * Anthropic accepts tool ids made of letters, digits, `_` and `-` only; some OpenAI-compatible
 * hosts use others (`functions.get_weather:0`). Replacing the rest keeps calls and results
 * paired, since both sides are rewritten the same way.
 */
function anthropicToolId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A tool's answer: text, or one text block per part when the caller sent several. */
function toolResultContent(
  content: string | readonly { text: string }[],
): string | { type: 'text'; text: string }[] {
  if (typeof content === 'string') return content;
  if (content.length === 1) return content[0].text;

  return content.map((part) => ({ type: 'text', text: part.text }));
}
