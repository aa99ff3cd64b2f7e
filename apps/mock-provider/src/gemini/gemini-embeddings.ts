import { z } from 'zod';

import { MockAnswer } from '../exchange/answer-writer';
import { fnv1a } from '../model/words';
import { unitVector } from '../openai/embeddings';
import { geminiError } from './gemini-error';

/** Gemini's limit on the requests of one batch. */
const MAX_BATCH = 100;
/** The length of a vector when the request sets no `outputDimensionality`. */
const DEFAULT_DIMENSIONS = 768;

const EmbedRequestSchema = z
  .object({
    model: z.string().min(1),
    content: z
      .object({ parts: z.array(z.object({ text: z.string() }).passthrough()).min(1) })
      .passthrough(),
    outputDimensionality: z.number().int().positive().max(3072).optional(),
  })
  .passthrough();

const BatchEmbedRequestSchema = z
  .object({ requests: z.array(EmbedRequestSchema).min(1).max(MAX_BATCH) })
  .passthrough();

/**
 * `POST …/models/{model}:batchEmbedContents`: one unit-length vector per request, seeded by a
 * hash of its text (equal texts embed equally), `outputDimensionality` long (768 by default).
 * As Gemini does, every request must name the model of the URL, and the answer carries the
 * vectors only, no token counts.
 */
export function answerBatchEmbedContents(model: string, body: unknown): MockAnswer {
  const parsed = BatchEmbedRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];

    return invalid(`Invalid JSON payload at '${issue.path.join('.')}': ${issue.message} (mock).`);
  }
  const requests = parsed.data.requests;
  const stray = requests.findIndex((request) => request.model !== `models/${model}`);
  if (stray >= 0) {
    return invalid(
      `Model names should match: requests[${stray}].model is '${requests[stray].model}', ` +
        `the URL's is 'models/${model}' (mock).`,
    );
  }
  const embeddings = requests.map((request) => {
    const text = request.content.parts.map((part) => part.text).join('');
    const vector = unitVector(fnv1a(text), request.outputDimensionality ?? DEFAULT_DIMENSIONS);

    return { values: Array.from(vector) };
  });

  return { kind: 'json', status: 200, body: { embeddings } };
}

function invalid(message: string): MockAnswer {
  return { kind: 'json', status: 400, body: geminiError(400, 'INVALID_ARGUMENT', message) };
}
