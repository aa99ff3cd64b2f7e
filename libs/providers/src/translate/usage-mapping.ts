import type { Usage } from '@xai/events';

import type { AnthropicUsage } from '../protocols/anthropic-messages';
import type { AnthropicUsageOut } from '../protocols/anthropic-messages-output';
import type { GeminiUsageMetadata } from '../protocols/gemini-content';
import type { OpenAiUsageFields, OpenAiUsageOut } from '../protocols/openai-chat-output';

/*
 * Token usage across protocols. OpenAI's `prompt_tokens` includes cached tokens; Anthropic's
 * `input_tokens` excludes both cache reads and cache writes; Gemini's `promptTokenCount`
 * includes cached content, and its `candidatesTokenCount` excludes thinking tokens.
 */

/** Anthropic usage → OpenAI usage. */
export function anthropicUsageToOpenAi(usage: AnthropicUsage): OpenAiUsageOut {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens =
    (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completionTokens = usage.output_tokens ?? 0;

  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
    completion_tokens_details: {
      reasoning_tokens: usage.output_tokens_details?.thinking_tokens ?? 0,
    },
  };
}

/** OpenAI usage → Anthropic usage; cached prompt tokens become cache reads. */
export function openAiUsageToAnthropic(usage: OpenAiUsageFields): AnthropicUsageOut {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;

  return {
    input_tokens: Math.max(0, usage.prompt_tokens - cached),
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/** Gemini usage metadata → OpenAI usage; thinking tokens count as (reasoning) completion. */
export function geminiUsageToOpenAi(usage: GeminiUsageMetadata): OpenAiUsageOut {
  const promptTokens = usage.promptTokenCount + usage.toolUsePromptTokenCount;
  const completionTokens = usage.candidatesTokenCount + usage.thoughtsTokenCount;

  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: usage.totalTokenCount ?? promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedContentTokenCount },
    completion_tokens_details: { reasoning_tokens: usage.thoughtsTokenCount },
  };
}

/** OpenAI usage normalised for copying, with zero details where the provider gave none. */
export function normaliseOpenAiUsage(usage: OpenAiUsageFields): OpenAiUsageOut {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
  };
}

/** The metering figures of an audit event, from OpenAI-shaped usage. */
export function meteredUsage(usage: OpenAiUsageOut): Usage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
  };
}
