import { Usage } from '@xai/events';
import {
  chatTranslationOptionsFor,
  createCompletionsStreamTranslator,
  geminiEmbeddingsToOpenAi,
  openAiEmbeddingsToGemini,
  translateChatError,
  translateCompletionsRequest,
  translateCompletionsResponse,
} from '@xai/providers';

import { readUsage } from '../audit/usage-details';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { ChatCall, PreparedCall, translatedCall } from './chat-call';
import { upstreamBody } from './openai-request';
import type { ResponsesTarget } from './responses-call';

/**
 * Prepares a legacy `POST /v1/completions` call for one key. OpenAI-type keys get the
 * caller's bytes with only the model replaced. Anthropic and Gemini keys get the prompt as the
 * one user message of a chat request (`max_tokens` 16 unless set, as at OpenAI), and the
 * answer back as a `text_completion`, streamed or not; what a chat API cannot express
 * (`suffix`, `echo`, `logprobs`, several prompts, …) is a 400 naming the field.
 */
export function prepareCompletionsCall(call: ChatCall, to: ResponsesTarget): PreparedCall {
  const { adapter, target, upstreamModel } = to;
  if (adapter.protocol === 'openai') return passThrough(call, to, '/completions');
  const json = { ...call.request.json, model: upstreamModel };
  const options = chatTranslationOptionsFor(to.key.providerType, target);
  const translated = translateCompletionsRequest(adapter.protocol, json, options);
  const context = translated.context;

  return translatedCall(to, translated, {
    body: (answer) => translateCompletionsResponse(context, answer),
    error: (status, answer) => translateChatError(context, status, answer),
    stream: (maxLineLength) => createCompletionsStreamTranslator(context, { maxLineLength }),
  });
}

/**
 * Prepares a `POST /v1/embeddings` call for one key. OpenAI-type keys get the caller's bytes
 * with only the model replaced; Gemini keys get one `batchEmbedContents` call, answered in
 * OpenAI's list shape (floats or base64, as asked) with usage estimated, since Gemini reports
 * no token counts for embeddings. Anthropic has no embeddings API: its keys are skipped, and a
 * call no other key can serve is a 400 saying so.
 */
export function prepareEmbeddingsCall(call: ChatCall, to: ResponsesTarget): PreparedCall {
  const { adapter, target, headers, upstreamModel } = to;
  if (adapter.protocol === 'openai') return passThrough(call, to, '/embeddings');
  if (adapter.protocol === 'anthropic') {
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      `/v1/embeddings cannot be served by an Anthropic key: Anthropic has no embeddings API. ` +
        `Route the model "${call.request.model}" to an OpenAI-type (openai, azure) or Gemini key.`,
      { param: 'model' },
    );
  }
  const translated = openAiEmbeddingsToGemini({ ...call.request.json, model: upstreamModel });
  const context = translated.context;
  const usage: Usage = {
    promptTokens: context.estimatedTokens,
    completionTokens: 0,
    totalTokens: context.estimatedTokens,
  };

  return {
    url: adapter.url(target, { kind: 'path', path: translated.path }),
    headers,
    body: JSON.stringify(translated.body),
    usageOf: () => usage,
    translation: {
      body: (answer) => geminiEmbeddingsToOpenAi(answer, context),
      error: (status, answer) =>
        translateChatError({ from: 'openai', to: 'gemini' }, status, answer),
      stream: () => {
        throw new Error('embeddings never stream');
      },
    },
  };
}

/** The caller's bytes, with the model replaced, to the same path of an OpenAI-type key. */
function passThrough(call: ChatCall, to: ResponsesTarget, path: string): PreparedCall {
  const model = to.upstreamModel;

  return {
    url: to.adapter.url(to.target, { kind: 'path', path, model }),
    headers: to.headers,
    body: upstreamBody(call.request, model),
    usageOf: readUsage,
  };
}
