import { z } from 'zod';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { findInJson } from './json-walk';

/** Half of a UTF-16 surrogate pair standing alone: no character, and not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Where a body holds text with a lone surrogate: in a value, or in a field name. */
interface LoneSurrogate {
  path: string;
  inFieldName: boolean;
}

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
  const found = findInJson<LoneSurrogate>(body, (value, path) => {
    if (typeof value === 'string') {
      return LONE_SURROGATE.test(value) ? { path: path(), inFieldName: false } : undefined;
    }
    const names = typeof value === 'object' && value !== null ? Object.keys(value) : [];

    return names.some((name) => LONE_SURROGATE.test(name))
      ? { path: path(), inFieldName: true }
      : undefined;
  });
  if (!found) return;

  const field = found.path ? `${found.path}: ` : '';
  const what = found.inFieldName ? 'a field name must' : 'must';
  throw new GatewayException(
    GatewayErrorCode.InvalidRequest,
    `Invalid request: ${field}${what} be valid Unicode (it holds a lone UTF-16 surrogate).`,
    { param: found.path || undefined },
  );
}
