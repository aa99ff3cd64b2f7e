import type { Usage } from '@xai/events';

import { isJsonObject } from '../protocols/json';
import type { ApiProtocol } from '../protocols/api-protocol';
import type {
  OpenAiChatChunkOut,
  OpenAiChatCompletionOut,
  OpenAiUsageOut,
} from '../protocols/openai-chat-output';
import type { SseEvent, SseParserOptions } from '../sse/sse-parser';
import { AnthropicToOpenAiChatStream } from './anthropic-to-openai.stream';
import {
  ChatStreamTranslator,
  EncodedStreamTransformer,
  StreamTransformer,
} from './chat-stream-translator';
import {
  ChatTranslationContext,
  ChatTranslationOptions,
  TranslatedChatRequest,
  translateChatRequest,
  translateChatResponse,
} from './chat-translation';
import { GeminiToOpenAiChatStream } from './gemini-to-openai.stream';
import { OpenAiStreamItem, encodeOpenAiStreamItem } from './stream-items';
import { TranslationException } from './translation.exception';

/*
 * OpenAI's legacy completions (`/v1/completions`) reaching Anthropic and Gemini providers: the
 * prompt becomes the one user message of a chat request, which the chat translators carry, and
 * the chat answer comes back as a `text_completion`. OpenAI-type providers get the body
 * untranslated.
 */

/** OpenAI's legacy completions stop at 16 tokens when the caller sets no `max_tokens`. */
export const LEGACY_DEFAULT_MAX_TOKENS = 16;

/** Legacy fields that have a chat counterpart, carried over as they are. */
const CHAT_FIELDS = [
  'model',
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'user',
  'logit_bias',
  'metadata',
];

/** Legacy fields about several completions or token details, which no chat API answers. */
const REFUSED: Record<string, (value: unknown) => boolean> = {
  suffix: (value) => value !== null && value !== '',
  echo: (value) => value === true,
  logprobs: (value) => value !== null && value !== false,
  best_of: (value) => value !== null && value !== 1,
  n: (value) => value !== null && value !== 1,
};

/**
 * Translates a legacy completions body for an Anthropic or Gemini provider: the prompt as one
 * user message, `max_tokens` 16 by default as at OpenAI.
 *
 * @throws TranslationException (→ 400) naming the field no chat API can express: several
 *   prompts, token-id prompts, `suffix`, `echo`, `logprobs`, `best_of`, `n` above 1, or any
 *   field the chat translation refuses.
 */
export function translateCompletionsRequest(
  to: ApiProtocol,
  body: unknown,
  options: ChatTranslationOptions = {},
): TranslatedChatRequest {
  if (to === 'openai') {
    throw new TranslationException(
      '(protocol)',
      'A completions request to an OpenAI-type provider passes through untranslated.',
    );
  }

  return translateChatRequest('openai', to, completionsToChat(body, to), options);
}

/** The chat request a legacy completions body stands for. */
function completionsToChat(body: unknown, to: ApiProtocol): Record<string, unknown> {
  if (!isJsonObject(body)) throw new TranslationException('(body)', 'The body must be an object.');
  const target = to === 'anthropic' ? 'Anthropic' : 'Gemini';
  const chat: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (field === 'prompt') continue;
    if (CHAT_FIELDS.includes(field)) {
      chat[field] = value;
    } else if (!(field in REFUSED) || REFUSED[field](value)) {
      throw TranslationException.unsupported(field, target, 'completions there are chat turns');
    }
  }
  chat.messages = [{ role: 'user', content: promptOf(body.prompt, target) }];
  chat.max_tokens ??= LEGACY_DEFAULT_MAX_TOKENS;

  return chat;
}

function promptOf(prompt: unknown, target: string): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') {
    return prompt[0];
  }
  const why = Array.isArray(prompt)
    ? 'only one text prompt per request can be sent (token ids and several prompts cannot)'
    : 'the prompt must be text';

  throw TranslationException.unsupported('prompt', target, why);
}

/** A legacy `text_completion` answer. */
export interface TextCompletionOut {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: TextChoiceOut[];
  usage?: OpenAiUsageOut | null;
}

interface TextChoiceOut {
  text: string;
  index: number;
  logprobs: null;
  finish_reason: string | null;
}

/**
 * Translates a provider's non-streamed 2xx answer into a `text_completion`.
 *
 * @throws MalformedUpstreamResponseException (→ 502) when the answer cannot be read.
 */
export function translateCompletionsResponse(
  context: ChatTranslationContext,
  body: unknown,
): TextCompletionOut {
  const chat = translateChatResponse(context, body) as OpenAiChatCompletionOut;

  return {
    ...head(chat.id, chat.created, chat.model),
    choices: chat.choices.map((choice) => ({
      text: choice.message.content ?? '',
      index: choice.index,
      logprobs: null,
      finish_reason: choice.finish_reason,
    })),
    usage: chat.usage,
  };
}

/** A translator for a streamed 2xx answer, writing `text_completion` chunks. */
export function createCompletionsStreamTranslator(
  context: ChatTranslationContext,
  parserOptions: SseParserOptions = {},
): ChatStreamTranslator {
  if (context.from !== 'openai') {
    throw new TranslationException('(protocol)', 'Completions are translated from OpenAI only.');
  }
  const upstream =
    context.to === 'anthropic'
      ? new AnthropicToOpenAiChatStream(context.answer)
      : new GeminiToOpenAiChatStream(context.answer);

  return new ChatStreamTranslator('openai', new CompletionsViaChatStream(upstream), parserOptions);
}

/** A provider's stream turned into chat chunks, then into `text_completion` chunks. */
class CompletionsViaChatStream implements EncodedStreamTransformer {
  constructor(private readonly upstream: StreamTransformer<OpenAiStreamItem>) {}

  get usage(): Usage | null {
    return this.upstream.usage;
  }

  get settled(): boolean {
    return this.upstream.settled;
  }

  push(event: SseEvent): string {
    return this.upstream.push(event).map(encodeItem).join('');
  }

  end(): string {
    return this.upstream.end().map(encodeItem).join('');
  }
}

function encodeItem(item: OpenAiStreamItem): string {
  if (item.kind !== 'chunk') return encodeOpenAiStreamItem(item);
  const chunk = textChunk(item.chunk);

  return chunk ? `data: ${JSON.stringify(chunk)}\n\n` : '';
}

/** A chat chunk as a legacy chunk; null for one with nothing to say (the role's opening). */
function textChunk(chunk: OpenAiChatChunkOut): TextCompletionOut | null {
  const choices = chunk.choices
    .filter((choice) => choice.delta.content || choice.finish_reason !== null)
    .map((choice) => ({
      text: choice.delta.content ?? '',
      index: choice.index,
      logprobs: null,
      finish_reason: choice.finish_reason,
    }));
  if (choices.length === 0 && !chunk.usage) return null;
  const out: TextCompletionOut = { ...head(chunk.id, chunk.created, chunk.model), choices };
  if (chunk.usage !== undefined) out.usage = chunk.usage;

  return out;
}

/** Legacy ids start `cmpl-`: a chat id's `chatcmpl-` becomes it, a provider's id gets it. */
function head(id: string, created: number, model: string) {
  const bare = id.replace(/^(chat)?cmpl-/, '');

  return {
    id: `cmpl-${bare}`,
    object: 'text_completion' as const,
    created,
    model,
  };
}
