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
    'x-xai-upstream-model': route.upstreamModel,
    'x-xai-attempts': String(route.attempts),
  };
  for (const [name, value] of Object.entries(upstream)) {
    if (typeof value === 'string' && PASSED_ON.test(name)) headers[name] = value;
  }
  const upstreamId = upstream['x-request-id'];
  if (typeof upstreamId === 'string') headers['x-upstream-request-id'] = upstreamId;

  return headers;
}
