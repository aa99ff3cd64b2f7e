import type { AnthropicStreamEventOut } from '../protocols/anthropic-messages-output';
import type { OpenAiChatChunkOut, OpenAiErrorOut } from '../protocols/openai-chat-output';

/** What a translator streams to an OpenAI caller: chunks, an error event, or the end. */
export type OpenAiStreamItem =
  | { kind: 'chunk'; chunk: OpenAiChatChunkOut }
  | { kind: 'error'; error: OpenAiErrorOut }
  | { kind: 'done' };

/** One OpenAI stream item as SSE text: `data: <json>` or `data: [DONE]`, then a blank line. */
export function encodeOpenAiStreamItem(item: OpenAiStreamItem): string {
  switch (item.kind) {
    case 'chunk':
      return `data: ${JSON.stringify(item.chunk)}\n\n`;
    case 'error':
      return `data: ${JSON.stringify(item.error)}\n\n`;
    case 'done':
      return 'data: [DONE]\n\n';
  }
}

/** One Anthropic stream event as SSE text: `event: <type>` and `data: <json>`. */
export function encodeAnthropicStreamEvent(event: AnthropicStreamEventOut): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
