import type { OpenAiChatCompletionOut, OpenAiUsageFields } from '../protocols/openai-chat-output';
import type {
  ResponseObjectOut,
  ResponsesFunctionCallItemOut,
  ResponsesIncompleteReason,
  ResponsesMessageItemOut,
  ResponsesOutputItemOut,
  ResponsesUsageOut,
} from '../protocols/openai-responses-output';
import type { ResponsesAnswerContext } from './responses-to-chat.request';
import { generatedId } from './translation-helpers';
import { tokenSum } from './usage-mapping';

/** How a response ended, from a chat finish reason. */
export interface ResponsesEnding {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: ResponsesIncompleteReason } | null;
}

const INCOMPLETE_BY_FINISH: Record<string, ResponsesIncompleteReason> = {
  length: 'max_output_tokens',
  content_filter: 'content_filter',
};

/**
 * Translates a chat completion (as the Anthropic and Gemini translators write it) into a
 * Responses `response`: the content becomes an assistant message with an `output_text` part
 * (a refusal a `refusal` part), each tool call a `function_call` item whose `call_id` is the
 * tool call's id; `length` and `content_filter` make the response `incomplete`.
 */
export function chatCompletionToResponse(
  chat: OpenAiChatCompletionOut,
  context: ResponsesAnswerContext,
): ResponseObjectOut {
  const choice = chat.choices[0];
  const ending = endingOf(choice?.finish_reason);
  const itemStatus = ending.status === 'completed' ? 'completed' : 'incomplete';
  const output: ResponsesOutputItemOut[] = [];
  const message = choice?.message;
  if (message?.content || message?.refusal) {
    const item = messageItem(itemStatus);
    if (message.content) item.content.push(outputText(message.content));
    if (message.refusal) item.content.push({ type: 'refusal', refusal: message.refusal });
    output.push(item);
  }
  for (const call of message?.tool_calls ?? []) {
    output.push(functionCallItem(call.id, call.function.name, call.function.arguments));
  }

  return responseObject(context, {
    id: generatedId('resp_'),
    createdAt: chat.created,
    model: chat.model || context.model,
    status: ending.status,
    incompleteDetails: ending.incomplete_details,
    output,
    usage: responsesUsage(chat.usage),
  });
}

/** The status a chat finish reason gives a response. */
export function endingOf(finishReason: string | null | undefined): ResponsesEnding {
  const reason = finishReason ? INCOMPLETE_BY_FINISH[finishReason] : undefined;

  return reason
    ? { status: 'incomplete', incomplete_details: { reason } }
    : { status: 'completed', incomplete_details: null };
}

/** Chat usage in the Responses API's names. */
export function responsesUsage(usage: OpenAiUsageFields): ResponsesUsageOut {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    total_tokens: usage.total_tokens ?? tokenSum(usage.prompt_tokens, usage.completion_tokens),
  };
}

/** An empty assistant message item. */
export function messageItem(status: ResponsesMessageItemOut['status']): ResponsesMessageItemOut {
  return { type: 'message', id: generatedId('msg_'), status, role: 'assistant', content: [] };
}

/** An `output_text` part. */
export function outputText(text: string): {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: [];
} {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** A finished function call item. */
export function functionCallItem(
  callId: string,
  name: string,
  args: string,
): ResponsesFunctionCallItemOut {
  return {
    type: 'function_call',
    id: generatedId('fc_'),
    call_id: callId,
    name,
    arguments: args,
    status: 'completed',
  };
}

/** What varies between the `response` objects of one call. */
export interface ResponseState {
  id: string;
  createdAt: number;
  model: string;
  status: ResponseObjectOut['status'];
  incompleteDetails?: ResponseObjectOut['incomplete_details'];
  error?: ResponseObjectOut['error'];
  output: ResponsesOutputItemOut[];
  usage: ResponsesUsageOut | null;
}

/** A whole `response` object, with the request's settings echoed as OpenAI does. */
export function responseObject(
  context: ResponsesAnswerContext,
  state: ResponseState,
): ResponseObjectOut {
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    model: state.model,
    output: state.output,
    usage: state.usage,
    ...context.echo,
  };
}
