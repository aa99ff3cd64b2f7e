import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockAnswer } from '../exchange/answer-writer';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { openAiError } from '../openai/openai-error';
import { OPENAI_DIALECT } from '../openai/openai.routes';
import { answerImages, answerSpeech, answerTranscript } from './media-answers';
import { ParsedForm, parseForm } from './multipart-form';

/**
 * OpenAI's image and audio endpoints: JSON bodies for generations and speech, multipart uploads
 * for edits, variations, transcriptions and translations. Uploads are parsed into their fields
 * and summarised files (sizes and digests) so tests can check what arrived.
 */
export function registerMediaRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const form = parseForm(body as Buffer, String(request.headers['content-type']));
    if (typeof form === 'string') {
      done(Object.assign(new Error(form), { statusCode: 400 }), undefined);

      return;
    }
    done(null, form);
  });
  const serve = (answer: (request: FastifyRequest) => MockAnswer) =>
    serveWith(deps, OPENAI_DIALECT, answer);
  app.post(
    '/v1/images/generations',
    serve((request) => answerImages(fieldsOf(request), 'generations')),
  );
  app.post(
    '/v1/images/edits',
    serve((request) => uploaded(request, (form) => answerImages(form, 'edits'))),
  );
  app.post(
    '/v1/images/variations',
    serve((request) => uploaded(request, (form) => answerImages(form, 'variations'))),
  );
  app.post(
    '/v1/audio/speech',
    serve((request) => answerSpeech(fieldsOf(request))),
  );
  app.post(
    '/v1/audio/transcriptions',
    serve((request) => uploaded(request, (form) => answerTranscript(form, 'transcriptions'))),
  );
  app.post(
    '/v1/audio/translations',
    serve((request) => uploaded(request, (form) => answerTranscript(form, 'translations'))),
  );
}

function fieldsOf(request: FastifyRequest): Record<string, unknown> {
  const body: unknown = request.body;

  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** Answers an upload, or refuses a body that is not one, as OpenAI does. */
function uploaded(request: FastifyRequest, answer: (form: ParsedForm) => MockAnswer): MockAnswer {
  const body = fieldsOf(request);
  if (body._multipart === undefined) {
    return {
      kind: 'json',
      status: 400,
      body: openAiError('This endpoint expects a multipart/form-data body.'),
    };
  }

  return answer(body as ParsedForm);
}
