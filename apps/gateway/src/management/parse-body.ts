import { z } from 'zod';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';

/** Validates a management request body, or throws a 400 naming every bad or unknown field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayException(
      GatewayErrorCode.InvalidJson,
      'The request body must be a JSON object.',
    );
  }
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
