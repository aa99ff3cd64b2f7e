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

/**
 * Token counts added up, at most `Number.MAX_SAFE_INTEGER`: a provider's absurd counts must not
 * add up to Infinity, which JSON writes as `null` (the call's audit record would be refused;
 * audit-log caps absurd counts instead, flagged).
 */
export function tokenSum(...counts: number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);

  return total > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : total;
}

/** Anthropic usage → OpenAI usage. */
export function anthropicUsageToOpenAi(usage: AnthropicUsage): OpenAiUsageOut {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens = tokenSum(
    usage.input_tokens ?? 0,
    cacheRead,
    usage.cache_creation_input_tokens ?? 0,
  );
  const completionTokens = usage.output_tokens ?? 0;

  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: tokenSum(promptTokens, completionTokens),
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
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const promptTokens = tokenSum(usage.promptTokenCount, usage.toolUsePromptTokenCount ?? 0);
  const completionTokens = tokenSum(usage.candidatesTokenCount, thoughts);

  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: usage.totalTokenCount ?? tokenSum(promptTokens, completionTokens),
    prompt_tokens_details: { cached_tokens: usage.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/** OpenAI usage normalised for copying, with zero details where the provider gave none. */
export function normaliseOpenAiUsage(usage: OpenAiUsageFields): OpenAiUsageOut {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens ?? tokenSum(usage.prompt_tokens, usage.completion_tokens),
    prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
  };
}

/**
 * The metering figures of an audit event from Anthropic usage, in OpenAI's meaning. Cache
 * reads and thinking tokens are given only when Anthropic reported them.
 */
export function anthropicMeteredUsage(usage: AnthropicUsage): Usage {
  return withDetails(
    anthropicUsageToOpenAi(usage),
    usage.cache_read_input_tokens,
    usage.output_tokens_details?.thinking_tokens,
  );
}

/** The metering figures from Gemini usage metadata; details only when Gemini reported them. */
export function geminiMeteredUsage(usage: GeminiUsageMetadata): Usage {
  return withDetails(
    geminiUsageToOpenAi(usage),
    usage.cachedContentTokenCount,
    usage.thoughtsTokenCount,
  );
}

/** The metering figures from OpenAI usage; details only when the provider reported them. */
export function openAiMeteredUsage(usage: OpenAiUsageFields): Usage {
  return withDetails(
    normaliseOpenAiUsage(usage),
    usage.prompt_tokens_details?.cached_tokens,
    usage.completion_tokens_details?.reasoning_tokens,
  );
}

function withDetails(
  usage: OpenAiUsageOut,
  cached: number | null | undefined,
  reasoning: number | null | undefined,
): Usage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(typeof cached === 'number' ? { cachedInputTokens: cached } : {}),
    ...(typeof reasoning === 'number' ? { reasoningTokens: reasoning } : {}),
  };
}
