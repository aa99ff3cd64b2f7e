import type { AnthropicStopReason } from '../protocols/anthropic-messages-output';
import type { OpenAiFinishReason } from '../protocols/openai-chat-output';

/*
 * Stop reasons across protocols, as tables so each mapping is visible at a glance. A reason a
 * table does not know maps to the protocol's plain "finished" value.
 */

const ANTHROPIC_TO_OPENAI: Record<string, OpenAiFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const OPENAI_TO_ANTHROPIC: Record<string, AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

const GEMINI_TO_OPENAI: Record<string, OpenAiFinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`. */
export function anthropicStopToOpenAi(reason: string | null | undefined): OpenAiFinishReason {
  return (reason && ANTHROPIC_TO_OPENAI[reason]) || 'stop';
}

/** OpenAI `finish_reason` → Anthropic `stop_reason`. */
export function openAiFinishToAnthropic(reason: string | null | undefined): AnthropicStopReason {
  return (reason && OPENAI_TO_ANTHROPIC[reason]) || 'end_turn';
}

/**
 * Gemini `finishReason` → OpenAI `finish_reason`. Gemini ends a turn that calls functions
 * with `STOP`, so the caller says whether the candidate carried function calls.
 */
export function geminiFinishToOpenAi(
  reason: string | null | undefined,
  calledFunctions: boolean,
): OpenAiFinishReason {
  const mapped = (reason && GEMINI_TO_OPENAI[reason]) || 'stop';

  return mapped === 'stop' && calledFunctions ? 'tool_calls' : mapped;
}
