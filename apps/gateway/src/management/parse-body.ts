import { z } from 'zod';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { findInJson } from './json-walk';

/** Half of a UTF-16 surrogate pair standing alone: no character, and not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Validates a management request body, or throws a 400 naming every bad or unknown field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayException(
      GatewayErrorCode.InvalidJson,
      'The request body must be a JSON object.',
    );
  }
  refuseLoneSurrogates(body);
  const result = schema.safeParse(body);
  if (result.success) return result.data as z.infer<S>;

  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
    const field = issue.path.join('.');

    return field ? `${field}: ${issue.message}` : issue.message;
  });
  const param = result.error.issues[0]?.path.join('.') || undefined;

  throw new GatewayException(
    GatewayErrorCode.InvalidRequest,
    `Invalid request: ${problems.join('; ')}.`,
    { param },
  );
}

/**
 * Refuses text holding a lone surrogate anywhere in a body, naming the field. gRPC carries
 * text as UTF-8, which has no form for one: config would receive, and store, replacement
 * characters in its place, so the check is made here, for every field of every body at once.
 */
function refuseLoneSurrogates(body: object): void {
  const found = findInJson(body, (value) => {
    if (typeof value === 'string') return LONE_SURROGATE.test(value) ? 'value' : undefined;
    const names = isObject(value) ? Object.keys(value) : [];

    return names.some((name) => LONE_SURROGATE.test(name)) ? 'field name' : undefined;
  });
  if (!found) return;

  const field = found.path ? `${found.path}: ` : '';
  const what = found.found === 'field name' ? 'a field name must' : 'must';
  throw new GatewayException(
    GatewayErrorCode.InvalidRequest,
    `Invalid request: ${field}${what} be valid Unicode (it holds a lone UTF-16 surrogate).`,
    { param: found.path || undefined },
  );
}

/** A JSON object (not an array), whose field names are its own. */
function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
