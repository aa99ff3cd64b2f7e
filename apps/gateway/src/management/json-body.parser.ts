import { isUtf8 } from 'node:buffer';

import type { FastifyInstance, FastifyRequest } from 'fastify';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { findInJson } from './json-walk';

/** Where a body holds a key that could change what an object inherits. */
interface PrototypeKey {
  /** `__proto__`, or `constructor.prototype`. */
  key: string;
  /** The field path of the object holding it; empty at the top of the body. */
  path: string;
}

/**
 * Parses a management API body (`application/json`) in place of Fastify's own parser, which
 * answers "Body is not valid JSON" for any body it refuses: one holding a `__proto__` or
 * `constructor.prototype` key is valid JSON, and is told so. Such a key is refused rather than
 * taken: `JSON.parse` keeps it as a plain own property, but code that copies the body into
 * another object (`Object.assign`, `target[key] = value` in a loop) would change that object's
 * prototype.
 * @throws GatewayException (400) naming what is wrong with the body
 */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) {
    throw new GatewayException(GatewayErrorCode.InvalidJson, 'The request body is empty.');
  }
  // Decoding bytes that are not UTF-8 would store replacement characters without a word.
  if (!isUtf8(bytes)) {
    throw new GatewayException(
      GatewayErrorCode.InvalidJson,
      'The request body is not valid UTF-8.',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    throw new GatewayException(
      GatewayErrorCode.InvalidJson,
      `The request body is not valid JSON: ${reason}.`,
    );
  }
  const found = findPrototypeKey(value);
  if (found) {
    const where = found.path ? ` (in ${found.path})` : '';
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      `The request body holds a "${found.key}" key${where}, which the router refuses: ` +
        'such a key could change what an object inherits.',
      { param: found.path || undefined },
    );
  }

  return value;
}

/**
 * The largest management API body: its bodies are small (a provider key's `Config` and a rule
 * text are at most 16 KiB each, a body has a few of them), and they are parsed before the
 * caller is known, so what one unauthenticated body can cost stays a few milliseconds.
 */
export const MANAGEMENT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Makes {@link parseJsonBody} the parser of `application/json` bodies of `fastify` (the
 * management API; the `/v1` routes keep their bodies as raw bytes in scopes of their own), up
 * to {@link MANAGEMENT_BODY_LIMIT_BYTES} or `bodyLimit` if smaller, and of no other media type:
 * the management API speaks JSON. A form body (whose text was decoded without a word about bytes
 * that are not UTF-8) or a text one is refused (415) before it is read.
 */
export function useJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  // Fastify's own parsers (text, and Nest's form one) would read bodies up to the global limit.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: Math.min(bodyLimit, MANAGEMENT_BODY_LIMIT_BYTES) },
    (
      _request: FastifyRequest,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      try {
        done(null, parseJsonBody(body));
      } catch (error) {
        done(error as Error);
      }
    },
  );
}

/**
 * The first `__proto__` or `constructor.prototype` key of a parsed body, as secure-json-parse
 * finds them (own properties only).
 */
function findPrototypeKey(root: unknown): PrototypeKey | undefined {
  const found = findInJson(root, (value) => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (Object.hasOwn(value, '__proto__')) return '__proto__';
    const owner = Object.hasOwn(value, 'constructor')
      ? (value as { constructor: unknown }).constructor
      : undefined;
    const poisoned =
      typeof owner === 'object' && owner !== null && Object.hasOwn(owner, 'prototype');

    return poisoned ? 'constructor.prototype' : undefined;
  });

  return found && { key: found.found, path: found.path };
}
