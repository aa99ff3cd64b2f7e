import { ChatCompletionRequest } from './openai-requests';

/** What the mock "model" answers to a chat request; a pure function of the request. */
export interface ChatReply {
  content: string;
  /** The content in the pieces it is streamed in; one completion token each. */
  pieces: string[];
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
}

const VOCABULARY = [
  'amber',
  'breeze',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'granite',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lantern',
  'meadow',
  'nimbus',
  'orchid',
  'pebble',
  'quartz',
  'river',
  'saffron',
  'timber',
  'umber',
  'velvet',
  'willow',
  'zephyr',
];
const WORD_COUNT = 5;

/**
 * The deterministic reply: `Mock reply to <N> message(s) for <model>:` and five words picked
 * by a hash of the messages, split into word pieces (each with its leading space). Prompt
 * tokens are about one per four characters of message text plus three per message; a
 * `max_tokens` / `max_completion_tokens` below the piece count truncates with `length`.
 */
export function mockChatReply(request: ChatCompletionRequest): ChatReply {
  const text = request.messages.map((message) => contentText(message.content)).join('');
  const allPieces = replyPieces(request.messages.length, request.model, fnv1a(text));
  const limit = request.max_completion_tokens ?? request.max_tokens ?? Infinity;
  const pieces = allPieces.slice(0, limit);

  return {
    content: pieces.join(''),
    pieces,
    finishReason: pieces.length < allPieces.length ? 'length' : 'stop',
    promptTokens: Math.ceil(text.length / 4) + 3 * request.messages.length,
    completionTokens: pieces.length,
  };
}

function replyPieces(messageCount: number, model: string, seed: number): string[] {
  const words = Array.from(
    { length: WORD_COUNT },
    (_, index) => VOCABULARY[(seed >>> (index * 5)) % VOCABULARY.length],
  );
  const content = `Mock reply to ${messageCount} message(s) for ${model}: ${words.join(' ')}.`;

  return content.split(/(?= )/);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);

  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? part.text
        : JSON.stringify(part),
    )
    .join('');
}

/** FNV-1a, 32 bits: a cheap, stable hash for picking words and seeding vectors. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }

  return hash >>> 0;
}
