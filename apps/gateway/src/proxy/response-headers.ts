import { IncomingHttpHeaders } from 'node:http';

import {
  relayedResponseHeaders,
  SecretScrubber,
  secretScrubber,
  upstreamRequestId,
} from '@xai/providers';

import { RoutableKey } from '../routing/tenant-routing';

/** The route that served a call, as headers (DESIGN.md section 6, explanations). */
export interface RouteHeadersInput {
  requestId: string;
  level: number;
  key: RoutableKey;
  upstreamModel: string;
  attempts: number;
  /** The rules that chose the route (`x-xai-route-rule`). */
  routeRule: string;
}

/**
 * Headers that explain the route, plus the provider's useful headers: rate limits (OpenAI's and
 * Anthropic's), retry hints and the provider's request id. Each provider value goes through
 * `scrub` (the answer's own, which knows the secret the attempt sent), so a provider echoing
 * the key in a header does not hand it to the caller.
 */
export function responseHeaders(
  route: RouteHeadersInput,
  upstream: IncomingHttpHeaders,
  scrub: SecretScrubber = secretScrubber([]),
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': route.requestId,
    'x-xai-level': String(route.level),
    'x-xai-provider-key-id': route.key.id,
    'x-xai-provider-key-name': encodeURIComponent(wellFormed(route.key.name)),
    'x-xai-upstream-model': headerSafe(route.upstreamModel),
    'x-xai-attempts': String(route.attempts),
    'x-xai-route-rule': headerSafe(route.routeRule),
  };
  for (const [name, value] of Object.entries(relayedResponseHeaders(upstream))) {
    headers[name] = scrub(value);
  }
  const upstreamId = upstreamRequestId(upstream);
  // Request ids are random by nature: only the attempt's own secret is removed from them.
  if (upstreamId !== null) headers['x-upstream-request-id'] = scrub.knownOnly(upstreamId);
  // Anthropic's SDK reads its request id from `request-id`: relayed as a direct call gives it.
  const anthropicId = upstream['request-id'];
  if (typeof anthropicId === 'string') headers['request-id'] = scrub.knownOnly(anthropicId);

  return headers;
}

/**
 * The explanation headers known before any key answers (a streamed answer committed early by
 * the keep-alive): the level and key that answer are told later, in an SSE comment.
 */
export function earlyRouteHeaders(route: {
  requestId: string;
  upstreamModel: string;
  routeRule: string;
}): Record<string, string> {
  return {
    'x-request-id': route.requestId,
    'x-xai-upstream-model': headerSafe(route.upstreamModel),
    'x-xai-route-rule': headerSafe(route.routeRule),
  };
}

/** What a failed call learnt of its route before it failed. */
export interface FailedRoute {
  requestId: string;
  level: number | null;
  upstreamModel: string | null;
  /** The key whose answer was being relayed when the call failed, if one was. */
  providerKeyId: string | null;
  attempts: number;
}

/**
 * The explanation headers of an error answer (DESIGN.md section 6: every answer explains its
 * route): the request id and attempts always, the level, upstream model and key when known.
 */
export function failureRouteHeaders(route: FailedRoute): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': route.requestId,
    'x-xai-attempts': String(route.attempts),
  };
  if (route.level !== null) headers['x-xai-level'] = String(route.level);
  if (route.upstreamModel !== null) {
    headers['x-xai-upstream-model'] = headerSafe(route.upstreamModel);
  }
  if (route.providerKeyId !== null) headers['x-xai-provider-key-id'] = route.providerKeyId;

  return headers;
}

/** The route as an SSE comment, for a stream whose headers went out before it was known. */
export function routeComment(route: RouteHeadersInput): string {
  const fields = [
    `x-xai-level=${route.level}`,
    `x-xai-provider-key-id=${route.key.id}`,
    `x-xai-attempts=${route.attempts}`,
    `x-xai-route-rule=${headerSafe(route.routeRule)}`,
  ];

  return `: route ${fields.join(' ')}\n\n`;
}

/** Anything but visible ASCII, one whole code point at a time (`u`: pairs stay together). */
const NOT_VISIBLE_ASCII = /[^\x20-\x7e]/gu;

/** A UTF-16 surrogate standing alone, which `encodeURIComponent` cannot encode (it throws). */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * Header values must be visible ASCII: anything else (rule text is the tenant's, the model the
 * caller's) is percent-encoded as UTF-8. Never throws: a header is written after the provider
 * answered, when a failure would lose the answer.
 */
export function headerSafe(value: string): string {
  return wellFormed(value).replace(NOT_VISIBLE_ASCII, (c) => encodeURIComponent(c));
}

/** The text with each lone surrogate replaced by U+FFFD, so it can be encoded as UTF-8. */
function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}
