import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';

import type { FastifyInstance, FastifyRequest } from 'fastify';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { MediaProxyService } from './media-proxy.service';
import { MediaEndpoint } from './media-request';
import { readMultipartUpload } from './multipart-upload';
import { useRawBodies } from './raw-body';
import { UploadSpool } from './upload-spool';

/** Where uploads are kept until their call ends. */
export interface UploadSettings {
  /** Largest upload held in memory; a larger one goes to a temporary file. */
  memoryBytes: number;
  /** Folder of the temporary files; the system's temporary folder when unset. */
  spoolDir?: string;
}

/** What the media routes need from the Nest container. */
export interface MediaRoutesDeps {
  media: MediaProxyService;
  bodyLimit: number;
  uploads: UploadSettings;
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

/** Each call's upload spool, from the request's arrival to the end of its answer. */
const spools = new WeakMap<IncomingMessage, UploadSpool>();

/**
 * Registers OpenAI's image and audio endpoints straight on Fastify. JSON bodies are kept as raw
 * bytes; `multipart/form-data` uploads are read as a stream, scanned for their `model` field as
 * they arrive, and kept as they came (in memory, or in a temporary file past
 * `uploads.memoryBytes`), so they reach the provider byte for byte, on every attempt.
 */
export async function registerMediaRoutes(
  fastify: FastifyInstance,
  deps: MediaRoutesDeps,
): Promise<void> {
  const spoolDir = deps.uploads.spoolDir ?? tmpdir();
  await fastify.register(async (scope) => {
    useRawBodies(scope, deps);
    scope.addHook('onRequest', (request, reply, done) => {
      const spool = new UploadSpool(spoolDir);
      spools.set(request.raw, spool);
      // However the call ends (answered, failed, or the client gone), its upload file goes.
      reply.raw.once('close', () => void spool.discard());
      done();
    });
    scope.addContentTypeParser('multipart/form-data', (request, payload, done) => {
      const options = { limit: deps.bodyLimit, memoryBytes: deps.uploads.memoryBytes };
      const read = async () =>
        readMultipartUpload(payload, String(request.headers['content-type']), {
          ...options,
          spool: spoolOf(request),
        });
      read().then(
        (upload) => done(null, upload),
        (error: Error) => done(error, undefined),
      );
    });
    scope.setErrorHandler(deps.errorHandler);

    for (const endpoint of PROXIED) {
      scope.post(`/v1${endpoint}`, (request, reply) => deps.media.handle(request, reply, endpoint));
    }
  });
}

function spoolOf(request: FastifyRequest): UploadSpool {
  const spool = spools.get(request.raw);
  if (!spool) {
    throw new GatewayException(GatewayErrorCode.Internal, 'The upload has nowhere to be kept.');
  }

  return spool;
}
