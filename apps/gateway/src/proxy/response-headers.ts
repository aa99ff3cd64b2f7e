import { IncomingHttpHeaders } from 'node:http';

import { RoutableKey } from '../routing/tenant-routing';

/** Provider headers worth passing on: rate limits, retry hints and the provider's request id. */
const PASSED_ON = /^(x-ratelimit-|retry-after$|retry-after-ms$|openai-processing-ms$)/;

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

/** Headers that explain the route, plus the provider's useful headers. */
export function responseHeaders(
  route: RouteHeadersInput,
  upstream: IncomingHttpHeaders,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': route.requestId,
    'x-xai-level': String(route.level),
    'x-xai-provider-key-id': route.key.id,
    'x-xai-provider-key-name': encodeURIComponent(route.key.name),
    'x-xai-upstream-model': headerSafe(route.upstreamModel),
    'x-xai-attempts': String(route.attempts),
    'x-xai-route-rule': headerSafe(route.routeRule),
  };
  for (const [name, value] of Object.entries(upstream)) {
    if (typeof value === 'string' && PASSED_ON.test(name)) headers[name] = value;
  }
  const upstreamId = upstream['x-request-id'];
  if (typeof upstreamId === 'string') headers['x-upstream-request-id'] = upstreamId;

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

/** Header values must be visible ASCII: anything else (rule text is the tenant's) is escaped. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c));
}
