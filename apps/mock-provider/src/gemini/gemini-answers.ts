import { randomUUID } from 'node:crypto';

import { MockAnswer } from '../exchange/answer-writer';
import { mockTurn } from '../model/mock-turn';
import { GeminiMeta, generateContentResponse, streamedResponses } from './gemini-content';
import { geminiConversation } from './gemini-conversation';
import { geminiError } from './gemini-error';
import { GenerateContentRequest, countTokensRequest, parseGeminiRequest } from './gemini-requests';

const json = (status: number, body: unknown): MockAnswer => ({ kind: 'json', status, body });

/** The largest thinking the mock reports, so usage stays small and predictable. */
const MAX_MOCK_THOUGHTS = 16;

/** The method named after the colon of `models/{model}:{method}`. */
export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'countTokens';

/**
 * `POST …/models/{model}:{method}`: a `GenerateContentResponse`; for `streamGenerateContent`
 * its pieces as SSE events with `alt=sse` (CRLF-framed, as Gemini sends them), else as a JSON
 * array; for `countTokens` the prompt's `totalTokens`. A thinking budget above zero is
 * reported as up to 16 thought tokens.
 */
export function answerGemini(
  model: string,
  method: GeminiMethod,
  body: unknown,
  alt: string | null,
): MockAnswer {
  const parsed = parseGeminiRequest(method === 'countTokens' ? countTokensRequest(body) : body);
  if (!parsed.ok) return json(400, parsed.error);
  const request = parsed.request;
  const turn = mockTurn(geminiConversation(model, request));
  if (method === 'countTokens') return json(200, { totalTokens: turn.promptTokens });
  const meta = geminiMeta(model, request);
  if (method === 'generateContent') return json(200, generateContentResponse(meta, turn));
  const responses = streamedResponses(meta, turn);
  if (alt === 'sse') {
    return {
      kind: 'sse',
      payloads: responses.map((item) => JSON.stringify(item)),
      lineEnd: '\r\n',
    };
  }

  return json(200, responses);
}

/** Gemini's 404 for a method it does not have. */
export function unknownMethod(name: string): MockAnswer {
  return json(404, geminiError(404, 'NOT_FOUND', `Method ${name} is not found (mock).`));
}

function geminiMeta(model: string, request: GenerateContentRequest): GeminiMeta {
  const budget = request.generationConfig?.thinkingConfig?.thinkingBudget ?? 0;

  return {
    responseId: randomUUID().replaceAll('-', '').slice(0, 22),
    model,
    candidateCount: request.generationConfig?.candidateCount ?? 1,
    thoughtsTokens: budget > 0 ? Math.min(budget, MAX_MOCK_THOUGHTS) : 0,
  };
}
