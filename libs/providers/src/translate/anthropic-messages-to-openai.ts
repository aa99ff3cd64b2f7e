import type {
  AnthropicBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicToolResultBlock,
} from '../protocols/anthropic-messages';
import type {
  OpenAiRequestMessageOut,
  OpenAiRequestPartOut,
  OpenAiToolCallOut,
} from '../protocols/openai-chat-output';
import { assertRemoteUrl, toDataUrl } from './media';
import { toolInputObject } from './translation-helpers';
import { TranslationException } from './translation.exception';

/** A tool result the caller flagged as an error; OpenAI's tool messages have no flag. */
export const TOOL_ERROR_PREFIX = 'Error: ';

/**
 * Converts an Anthropic system prompt and messages to OpenAI chat messages. The system prompt
 * becomes the first message; `tool_result` blocks become `tool` messages placed right after
 * the assistant turn that called them (OpenAI's order), ahead of the rest of that user turn.
 * Thinking blocks of earlier assistant turns are left out: OpenAI takes no reasoning back.
 */
export function anthropicMessagesToOpenAi(
  request: AnthropicRequest,
  target: string,
): OpenAiRequestMessageOut[] {
  const messages: OpenAiRequestMessageOut[] = [];
  const system = systemMessage(request.system);
  if (system) messages.push(system);
  request.messages.forEach((message, index) => {
    messages.push(...convertMessage(message, `messages.${index}`, target));
  });

  return messages;
}

function systemMessage(system: AnthropicRequest['system']): OpenAiRequestMessageOut | null {
  if (system === undefined) return null;
  if (typeof system === 'string') return system === '' ? null : { role: 'system', content: system };
  if (system.length === 0) return null;
  if (system.length === 1) return { role: 'system', content: system[0].text };

  return { role: 'system', content: system.map((block) => ({ type: 'text', text: block.text })) };
}

function convertMessage(
  message: AnthropicMessage,
  field: string,
  target: string,
): OpenAiRequestMessageOut[] {
  if (typeof message.content === 'string') {
    return message.role === 'user'
      ? [{ role: 'user', content: message.content }]
      : [{ role: 'assistant', content: message.content }];
  }
  const blocks = message.content.map((block, index) => ({
    block,
    field: `${field}.content.${index}`,
  }));

  return message.role === 'assistant'
    ? [assistantMessage(blocks, target)]
    : userMessages(blocks, target);
}

interface LocatedBlock {
  block: AnthropicBlock;
  field: string;
}

function assistantMessage(blocks: LocatedBlock[], target: string): OpenAiRequestMessageOut {
  let text = '';
  const toolCalls: OpenAiToolCallOut[] = [];
  for (const { block, field } of blocks) {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: JSON.stringify(toolInputObject(block.input)) },
        });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      case 'image':
      case 'document':
      case 'tool_result':
        throw TranslationException.unsupported(
          field,
          target,
          `an assistant turn cannot hold '${block.type}'`,
        );
    }
  }
  if (toolCalls.length === 0) return { role: 'assistant', content: text };

  return { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls };
}

function userMessages(blocks: LocatedBlock[], target: string): OpenAiRequestMessageOut[] {
  const messages: OpenAiRequestMessageOut[] = [];
  const parts: OpenAiRequestPartOut[] = [];
  for (const { block, field } of blocks) {
    if (block.type === 'tool_result') messages.push(toolMessage(block, field, target));
    else parts.push(...userParts(block, field, target));
  }
  if (parts.length === 1 && parts[0].type === 'text') {
    messages.push({ role: 'user', content: parts[0].text });
  } else if (parts.length > 0) {
    messages.push({ role: 'user', content: parts });
  }

  return messages;
}

function userParts(block: AnthropicBlock, field: string, target: string): OpenAiRequestPartOut[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'image':
      return [imagePart(block.source, `${field}.source`, target)];
    case 'document':
      return [documentPart(block, `${field}.source`, target)];
    case 'thinking':
    case 'redacted_thinking':
      return [];
    case 'tool_use':
    case 'tool_result':
      throw TranslationException.unsupported(
        field,
        target,
        `a user turn cannot hold '${block.type}'`,
      );
  }
}

function imagePart(
  source: Extract<AnthropicBlock, { type: 'image' }>['source'],
  field: string,
  target: string,
): OpenAiRequestPartOut {
  if (source.type === 'base64') {
    return {
      type: 'image_url',
      image_url: { url: toDataUrl({ mimeType: source.media_type, data: source.data }) },
    };
  }
  if (source.type === 'url') {
    assertRemoteUrl(source.url, `${field}.url`);

    return { type: 'image_url', image_url: { url: source.url } };
  }
  throw TranslationException.unsupported(
    `${field}.file_id`,
    target,
    'uploaded files live at Anthropic',
  );
}

function documentPart(
  block: Extract<AnthropicBlock, { type: 'document' }>,
  field: string,
  target: string,
): OpenAiRequestPartOut {
  const source = block.source;
  const citations = (block as { citations?: { enabled?: unknown } }).citations;
  if (citations?.enabled === true) {
    throw TranslationException.unsupported(
      `${field.replace(/\.source$/, '')}.citations`,
      target,
      'only Anthropic cites passages of documents',
    );
  }
  if (source.type === 'text') return { type: 'text', text: source.data };
  if (source.type === 'base64' && source.media_type === 'application/pdf') {
    const file_data = toDataUrl({ mimeType: source.media_type, data: source.data });

    return { type: 'file', file: { filename: block.title ?? 'document.pdf', file_data } };
  }
  throw TranslationException.unsupported(
    `${field}.type`,
    target,
    'only base64 PDF and plain-text documents translate',
  );
}

function toolMessage(
  block: AnthropicToolResultBlock,
  field: string,
  target: string,
): OpenAiRequestMessageOut {
  const content = block.content ?? '';
  const text =
    typeof content === 'string'
      ? content
      : content
          .map((inner, index) => {
            if (inner.type === 'text') return inner.text;
            throw TranslationException.unsupported(
              `${field}.content.${index}`,
              target,
              'OpenAI tool messages carry text only',
            );
          })
          .join('');

  return {
    role: 'tool',
    tool_call_id: block.tool_use_id,
    content: block.is_error ? `${TOOL_ERROR_PREFIX}${text}` : text,
  };
}
