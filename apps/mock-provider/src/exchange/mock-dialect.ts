import type { FastifyRequest } from 'fastify';

import { MockAnswer, StreamError } from './answer-writer';

/**
 * What differs between the protocols the mock speaks (OpenAI, Anthropic, Gemini) when it
 * records, authenticates and fails requests. The answers themselves come from each dialect's
 * routes.
 */
export interface MockDialect {
  /** The credential exactly as this protocol carries it, or null when none came. */
  credential(request: FastifyRequest): string | null;
  /** The model a request asks for, or null. */
  model(request: FastifyRequest): string | null;
  /** The answer to a request without a credential. */
  missingCredential: MockAnswer;
  /** A refusal the protocol requires before anything else (a missing version header), if any. */
  precheck?(request: FastifyRequest): MockAnswer | null;
  /** The error body a behaviour with a bare error status answers with. */
  errorBodyForStatus(status: number): unknown;
  /** The event that ends a stream in a behaviour's `error-event` mode. */
  streamError: StreamError;
  /** Headers every answer carries, such as Anthropic's `request-id`. */
  answerHeaders?(recordId: string): Record<string, string>;
}

/** A Bearer token from an `authorization` header, or null. */
export function bearerKey(authorization: string | undefined): string | null {
  const match = authorization ? /^Bearer\s+(\S.*)$/i.exec(authorization) : null;

  return match ? match[1].trim() : null;
}

/** A header's single value, or null when absent or empty. */
export function headerValue(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;

  return first ? first : null;
}

/** The `model` field of a JSON body, or null. */
export function bodyModel(request: FastifyRequest): string | null {
  const body: unknown = request.body;
  if (typeof body === 'object' && body !== null && 'model' in body) {
    return typeof body.model === 'string' ? body.model : null;
  }

  return null;
}
