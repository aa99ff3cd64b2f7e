import { mockTurn } from '../model/mock-turn';
import { openAiConversation } from './openai-conversation';
import { ChatCompletionRequest } from './openai-requests';

/** What the mock "model" answers to a chat request; a pure function of the request. */
export interface ChatReply {
  /** The text, or null when the reply only calls tools. */
  content: string | null;
  /** The content in the pieces it is streamed in; one completion token each. */
  pieces: string[];
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  completionTokens: number;
}

/**
 * The deterministic reply (see `mockTurn`): five hashed words after `Mock reply to <N>
 * message(s) for <model>:`, tool calls when tools are offered, a mention of the tool results
 * in a follow-up, JSON for `response_format`. `max_tokens` / `max_completion_tokens` below
 * the piece count truncate with `length`; a `stop` sequence ends the text with `stop`.
 */
export function mockChatReply(request: ChatCompletionRequest): ChatReply {
  const turn = mockTurn(openAiConversation(request));
  if (turn.kind === 'tools') {
    return {
      content: null,
      pieces: [],
      toolCalls: turn.calls.map((call) => ({
        id: `call_${call.id}`,
        name: call.name,
        arguments: call.json,
      })),
      finishReason: 'tool_calls',
      promptTokens: turn.promptTokens,
      completionTokens: turn.completionTokens,
    };
  }

  return {
    content: turn.content,
    pieces: turn.pieces,
    toolCalls: [],
    finishReason: turn.stop === 'length' ? 'length' : 'stop',
    promptTokens: turn.promptTokens,
    completionTokens: turn.completionTokens,
  };
}
