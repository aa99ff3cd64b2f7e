import { CallerProtocol, SecretScrubber, secretScrubber, translateErrorBody } from '@xai/providers';

// With no secret known: anything that looks like a key.
const ANY_KEY = secretScrubber([]);

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

/** A provider's error answer, as it is about to be relayed. */
export interface UpstreamErrorAnswer {
  /** The status the caller gets (which picks the error type of a body that is not JSON). */
  status: number;
  bytes: Buffer;
  requestId: string;
  /** The answer's own scrubber (it also knows the secret the attempt sent). */
  scrub?: SecretScrubber;
}

/**
 * A provider's error body as relayed to the caller, always JSON: scrubbed by `scrub` (by
 * default, anything that looks like a key), with the router's request id added when the body
 * is JSON in the caller's shape. A body that is not a JSON object (plain text, HTML from a
 * proxy) is wrapped in the caller's error shape, its scrubbed and truncated text the message,
 * its type chosen by the status, so SDKs raise their usual error classes.
 */
export function relayedErrorBody(caller: CallerProtocol, answer: UpstreamErrorAnswer): string {
  const scrub = answer.scrub ?? ANY_KEY;
  const text = scrub(answer.bytes.toString('utf8'));
  const json = parseObject(text);
  if (json === undefined) {
    const wrapped = translateErrorBody(caller, caller, answer.status, text.trim());

    return JSON.stringify(withRequestId(caller, wrapped, answer.requestId));
  }
  // Parsing decodes `\u0063`-style escapes, behind which the raw text could hide a secret from the
  // scrub: scrub what was decoded, and the serialised result for the secret's exact forms.
  const scrubbed = scrub.values(json) as Record<string, unknown>;
  const shaped = withRequestId(caller, scrubbed, answer.requestId);
  const serialised = JSON.stringify(shaped);
  if (shaped === scrubbed && serialised === JSON.stringify(json)) return text;

  return scrub.knownOnly(serialised);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(text);

    return isObject(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
