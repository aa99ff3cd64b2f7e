import { GeminiCandidate, GeminiResponseSchema } from '../protocols/gemini-content';
import { parseUpstream } from '../protocols/json';
import type {
  OpenAiChatCompletionOut,
  OpenAiToolCallOut,
  OpenAiUsageOut,
} from '../protocols/openai-chat-output';
import { toolCallIdForGemini } from './gemini-tool-ids';
import type { GeminiAnswerContext } from './openai-to-gemini.request';
import { geminiFinishToOpenAi } from './stop-reasons';
import { generatedId, nowInSeconds } from './translation-helpers';
import { geminiUsageToOpenAi } from './usage-mapping';

/** What one Gemini candidate says, in OpenAI's terms. */
export interface CandidateContent {
  text: string;
  toolCalls: OpenAiToolCallOut[];
}

/**
 * Reads a candidate's parts: text parts (thought summaries left out) join into the text,
 * function calls become tool calls whose id carries the call's thought signature.
 */
export function candidateContent(candidate: GeminiCandidate): CandidateContent {
  const content: CandidateContent = { text: '', toolCalls: [] };
  for (const part of candidate.content?.parts ?? []) {
    if (part.text !== undefined && part.thought !== true) content.text += part.text;
    if (!part.functionCall) continue;
    content.toolCalls.push({
      id: toolCallIdForGemini(part.functionCall.id, part.thoughtSignature),
      type: 'function',
      function: {
        name: part.functionCall.name,
        arguments: JSON.stringify(part.functionCall.args ?? {}),
      },
    });
  }

  return content;
}

/** Gemini's usage metadata in OpenAI's shape; zeros when the answer carried none. */
export function geminiUsageOrZero(
  usage: Parameters<typeof geminiUsageToOpenAi>[0] | undefined,
): OpenAiUsageOut {
  return geminiUsageToOpenAi(usage ?? { promptTokenCount: 0, candidatesTokenCount: 0 });
}

/**
 * Translates a Gemini `GenerateContentResponse` into an OpenAI `chat.completion`: one choice
 * per candidate, text parts as content, function calls as tool calls (finish reason
 * `tool_calls`), safety stops as `content_filter`, and usage with thinking tokens counted as
 * reasoning completion tokens and cached content as cached prompt tokens. A prompt Gemini
 * blocked outright becomes one empty choice finished by `content_filter`.
 *
 * @throws MalformedUpstreamResponseException when the answer is not a GenerateContentResponse.
 */
export function geminiResponseToOpenAiChat(
  body: unknown,
  context: GeminiAnswerContext,
): OpenAiChatCompletionOut {
  const response = parseUpstream(GeminiResponseSchema, body);
  const choices = response.candidates.map((candidate) => {
    const { text, toolCalls } = candidateContent(candidate);
    const calls = toolCalls.length > 0;

    return {
      index: candidate.index,
      message: {
        role: 'assistant' as const,
        content: text === '' && calls ? null : text,
        refusal: null,
        ...(calls ? { tool_calls: toolCalls } : {}),
      },
      logprobs: null,
      finish_reason: geminiFinishToOpenAi(candidate.finishReason, calls),
    };
  });
  if (choices.length === 0) {
    const message = { role: 'assistant' as const, content: null, refusal: null };
    choices.push({ index: 0, message, logprobs: null, finish_reason: 'content_filter' });
  }

  return {
    id: response.responseId ?? generatedId('chatcmpl-'),
    object: 'chat.completion',
    created: nowInSeconds(),
    model: response.modelVersion ?? context.model,
    choices,
    usage: geminiUsageOrZero(response.usageMetadata),
  };
}
