import type { FastifyInstance, FastifyRequest } from 'fastify';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether a JSON text nests objects and arrays deeper than `maxDepth`. One pass over the bytes,
 * skipping strings, stopping as soon as the limit is passed: the check runs before any parser
 * (or recursive translation code) sees the body.
 */
export function nestsDeeperThan(bytes: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }

  return false;
}

/**
 * The content-type parser of the proxied routes: the body stays raw bytes (it reaches the
 * provider untouched), refused with a 400 when nested deeper than `maxDepth`.
 */
export function rawBodyParser(maxDepth: number) {
  return (
    _request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, body?: Buffer) => void,
  ) => {
    if (!nestsDeeperThan(body, maxDepth)) {
      done(null, body);

      return;
    }
    done(
      new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `The JSON body is nested deeper than ${maxDepth} levels.`,
      ),
    );
  };
}

/**
 * Makes every body of `scope` raw bytes (see {@link rawBodyParser}), at most `bodyLimit` long:
 * Fastify's own parsers would re-serialise what must reach the provider untouched.
 */
export function useRawBodies(
  scope: FastifyInstance,
  limits: { bodyLimit: number; jsonMaxDepth: number },
): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: limits.bodyLimit },
    rawBodyParser(limits.jsonMaxDepth),
  );
}
