import type {
  AnthropicBlockOut,
  AnthropicMessageOut,
  AnthropicUsageOut,
} from '../protocols/anthropic-messages-output';
import { isJsonObject, parseUpstream } from '../protocols/json';
import { OpenAiChatResponseSchema } from '../protocols/openai-chat';
import type { OpenAiAnswerContext } from './anthropic-to-openai.request';
import { openAiFinishToAnthropic } from './stop-reasons';
import { generatedId } from './translation-helpers';
import { MalformedUpstreamResponseException } from './translation.exception';
import { openAiUsageToAnthropic } from './usage-mapping';

/** Usage when an OpenAI-compatible host reported none. */
export const NO_USAGE: AnthropicUsageOut = {
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

/**
 * Translates an OpenAI `chat.completion` into an Anthropic `message`: the content becomes a
 * text block, each tool call a `tool_use` block (arguments parsed into `input`), a refusal a
 * text block with stop reason `refusal`; the finish reason maps to a stop reason, and cached
 * prompt tokens become `cache_read_input_tokens` (taken out of `input_tokens`).
 *
 * @throws MalformedUpstreamResponseException when the answer has no choice, or a tool call's
 *   arguments are not a JSON object.
 */
export function openAiChatResponseToAnthropic(
  body: unknown,
  context: OpenAiAnswerContext,
): AnthropicMessageOut {
  const response = parseUpstream(OpenAiChatResponseSchema, body);
  const choice = response.choices[0];
  if (!choice) throw new MalformedUpstreamResponseException('it has no choices');
  const message = choice.message;
  const content: AnthropicBlockOut[] = [];
  if (message.content) content.push({ type: 'text', text: message.content });
  if (message.refusal) content.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: anthropicToolUseId(call.id),
      name: call.function.name,
      input: upstreamArguments(call.function.arguments),
    });
  }

  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: response.model || context.model,
    content,
    stop_reason: message.refusal ? 'refusal' : openAiFinishToAnthropic(choice.finish_reason),
    stop_sequence: null,
    usage: response.usage ? openAiUsageToAnthropic(response.usage) : NO_USAGE,
  };
}

/** A tool call id Anthropic's SDKs and clients accept (letters, digits, `_`, `-`). */
export function anthropicToolUseId(id: string | null | undefined): string {
  return id ? id.replace(/[^A-Za-z0-9_-]/g, '_') : generatedId('toolu_');
}

/** A provider's tool call arguments as Anthropic's `input` object. */
export function upstreamArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isJsonObject(value)) {
    throw new MalformedUpstreamResponseException('tool call arguments are not a JSON object');
  }

  return value;
}
