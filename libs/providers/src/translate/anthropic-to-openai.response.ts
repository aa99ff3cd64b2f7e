import { AnthropicResponseSchema } from '../protocols/anthropic-messages';
import { parseUpstream } from '../protocols/json';
import type {
  OpenAiChatCompletionOut,
  OpenAiFinishReason,
  OpenAiToolCallOut,
} from '../protocols/openai-chat-output';
import type { AnthropicAnswerContext } from './openai-to-anthropic.request';
import { anthropicStopToOpenAi } from './stop-reasons';
import { nowInSeconds, toolInputObject } from './translation-helpers';
import { anthropicUsageToOpenAi } from './usage-mapping';

/**
 * Translates an Anthropic `message` into an OpenAI `chat.completion`: text blocks join into
 * `content`, `tool_use` blocks become `tool_calls` (arguments as JSON text), the stop reason
 * maps to a finish reason, and usage counts cache reads and writes as prompt tokens, with cache
 * reads as `cached_tokens` and thinking as `reasoning_tokens`. The forced JSON-mode tool's
 * input becomes the content, as OpenAI would have answered. Thinking blocks are not shown: an
 * OpenAI chat completion has no place for reasoning text.
 *
 * @throws MalformedUpstreamResponseException when the answer is not a Messages API message.
 */
export function anthropicResponseToOpenAiChat(
  body: unknown,
  context: AnthropicAnswerContext,
): OpenAiChatCompletionOut {
  const response = parseUpstream(AnthropicResponseSchema, body);
  let text = '';
  const toolCalls: OpenAiToolCallOut[] = [];
  let answeredInJson = false;
  for (const block of response.content) {
    if (block.type === 'text') text += block.text ?? '';
    if (block.type !== 'tool_use') continue;
    const input = JSON.stringify(toolInputObject(block.input));
    if (block.name === context.jsonToolName) {
      text += input;
      answeredInJson = true;
    } else {
      toolCalls.push({
        id: block.id ?? '',
        type: 'function',
        function: { name: block.name ?? '', arguments: input },
      });
    }
  }
  const finishReason = finishReasonOf(response.stop_reason, answeredInJson);

  return {
    id: response.id,
    object: 'chat.completion',
    created: nowInSeconds(),
    model: response.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: anthropicUsageToOpenAi(response.usage),
  };
}

/** A forced JSON tool ends the turn with `tool_use`, but the caller asked for an answer. */
export function finishReasonOf(
  stopReason: string | null | undefined,
  answeredInJson: boolean,
): OpenAiFinishReason {
  const mapped = anthropicStopToOpenAi(stopReason);

  return answeredInJson && mapped === 'tool_calls' ? 'stop' : mapped;
}
