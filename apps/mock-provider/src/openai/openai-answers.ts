import { randomUUID } from 'node:crypto';

import { MockAnswer } from '../exchange/answer-writer';
import { chatCompletion, chatCompletionChunks, CompletionMeta } from './chat-completion';
import { mockChatReply } from './chat-reply';
import { embeddingsList } from './embeddings';
import { openAiError } from './openai-error';
import {
  ChatCompletionRequestSchema,
  EmbeddingsRequestSchema,
  parseOpenAiRequest,
  toolPairingError,
} from './openai-requests';
import { modelObject } from './models';

const json = (status: number, body: unknown): MockAnswer => ({ kind: 'json', status, body });

/** `POST /v1/chat/completions`: a `chat.completion`, or its chunks when `stream` is set. */
export function answerChatCompletion(body: unknown): MockAnswer {
  const parsed = parseOpenAiRequest(ChatCompletionRequestSchema, body);
  if (!parsed.ok) return json(400, parsed.error);
  const request = parsed.request;
  const pairing = toolPairingError(request);
  if (pairing) return json(400, pairing);
  const reply = mockChatReply(request);
  const meta: CompletionMeta = {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
  if (!request.stream) return json(200, chatCompletion(meta, reply));
  const includeUsage = request.stream_options?.include_usage === true;

  return { kind: 'sse', payloads: chatCompletionChunks(meta, reply, includeUsage) };
}

/** `POST /v1/embeddings`. */
export function answerEmbeddings(body: unknown): MockAnswer {
  const parsed = parseOpenAiRequest(EmbeddingsRequestSchema, body);

  return parsed.ok ? json(200, embeddingsList(parsed.request)) : json(400, parsed.error);
}

/** `GET /v1/models/:id`: the model, or OpenAI's 404 for an id the mock does not list. */
export function answerModel(models: readonly string[], id: string): MockAnswer {
  if (models.includes(id)) return json(200, modelObject(id));

  return json(
    404,
    openAiError(
      `The model '${id}' does not exist`,
      'invalid_request_error',
      'model',
      'model_not_found',
    ),
  );
}
