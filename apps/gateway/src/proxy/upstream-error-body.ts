import { CallerProtocol, scrubSecrets } from '@xai/providers';

/**
 * Adds the router's request id to an error body in the caller's protocol's shape: inside
 * `error` for OpenAI (as the router's own errors carry it), at the top for Anthropic (as
 * Anthropic's API does). A body of another shape is returned unchanged.
 */
export function withRequestId(caller: CallerProtocol, body: unknown, requestId: string): unknown {
  if (!isObject(body) || !isObject(body.error)) return body;
  if (caller === 'anthropic') {
    return body.type === 'error' ? { ...body, request_id: requestId } : body;
  }
  if (body.type === 'error') return body;

  return { ...body, error: { ...body.error, request_id: requestId } };
}

/**
 * A provider's error body as relayed to the caller: scrubbed by `scrub` (the answer's own,
 * which also knows the secret the attempt sent; by default anything that looks like a key),
 * and the router's request id added when the body is JSON in the caller's shape. Other bodies
 * (plain text, HTML from a proxy) pass on scrubbed only.
 */
export function relayedErrorBody(
  caller: CallerProtocol,
  bytes: Buffer,
  requestId: string,
  scrub: (text: string) => string = scrubSecrets,
): string {
  const text = scrub(bytes.toString('utf8'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  const shaped = withRequestId(caller, json, requestId);

  return shaped === json ? text : JSON.stringify(shaped);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
