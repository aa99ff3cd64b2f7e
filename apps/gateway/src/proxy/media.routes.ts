import { runWithRequestContext } from '@xai/common';
import type { FastifyInstance } from 'fastify';

import { MediaProxyService } from './media-proxy.service';
import { MediaEndpoint } from './media-request';
import { readMultipartUpload } from './multipart-upload';
import { useRawBodies } from './raw-body';

/** What the media routes need from the Nest container. */
export interface MediaRoutesDeps {
  media: MediaProxyService;
  bodyLimit: number;
  /** Deepest JSON nesting accepted. */
  jsonMaxDepth: number;
  /** Answers any error (Fastify's own included) in OpenAI's shape. */
  errorHandler: Parameters<FastifyInstance['setErrorHandler']>[0];
}

const PROXIED: MediaEndpoint[] = [
  '/images/generations',
  '/images/edits',
  '/images/variations',
  '/audio/speech',
  '/audio/transcriptions',
  '/audio/translations',
];

/**
 * Registers OpenAI's image and audio endpoints straight on Fastify. JSON bodies are kept as raw
 * bytes; `multipart/form-data` uploads are read as a stream, scanned for their `model` field as
 * they arrive, and kept in the chunks they came in, so they reach the provider byte for byte.
 */
export async function registerMediaRoutes(
  fastify: FastifyInstance,
  deps: MediaRoutesDeps,
): Promise<void> {
  await fastify.register(async (scope) => {
    useRawBodies(scope, deps);
    scope.addContentTypeParser('multipart/form-data', (request, payload, done) => {
      readMultipartUpload(payload, String(request.headers['content-type']), deps.bodyLimit).then(
        (upload) => done(null, upload),
        (error: Error) => done(error, undefined),
      );
    });
    scope.setErrorHandler(deps.errorHandler);

    for (const endpoint of PROXIED) {
      scope.post(`/v1${endpoint}`, (request, reply) =>
        runWithRequestContext({ requestId: request.id }, () =>
          deps.media.handle(request, reply, endpoint),
        ),
      );
    }
  });
}
