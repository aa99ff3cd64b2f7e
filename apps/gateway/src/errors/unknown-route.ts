import { CallerProtocol } from '@xai/providers';
import type { IncomingHttpHeaders } from 'node:http';

import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';

/** Public paths served only by POST: another method there is a 405, not an unknown route. */
const POST_ONLY = new Set([
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/messages',
  '/v1/messages/count_tokens',
]);

/** A request no route serves, as far as the refusal needs to know it. */
export interface UnroutedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** The refusal of a request no route serves: 405 on a POST-only path, 404 otherwise. */
export function unknownRouteError(request: UnroutedRequest): GatewayException {
  const path = pathOf(request.url);
  if (POST_ONLY.has(path) && request.method !== 'POST') {
    return new GatewayException(
      GatewayErrorCode.InvalidRequest,
      `${path} accepts only POST, not ${request.method}.`,
      { status: 405 },
    );
  }

  return new GatewayException(
    GatewayErrorCode.NotFound,
    `Unknown route: ${request.method} ${path}.`,
  );
}

/**
 * The protocol an unknown route is refused in: Anthropic's for its paths and for a client that
 * sends Anthropic's headers (the Anthropic SDK and Claude Code send `anthropic-version`, and
 * `x-api-key` for the key); OpenAI's otherwise.
 */
export function protocolOfUnroutedRequest(request: UnroutedRequest): CallerProtocol {
  const anthropic =
    pathOf(request.url).startsWith('/v1/messages') ||
    request.headers['anthropic-version'] !== undefined ||
    request.headers['x-api-key'] !== undefined;

  return anthropic ? 'anthropic' : 'openai';
}

function pathOf(url: string): string {
  const query = url.indexOf('?');

  return query < 0 ? url : url.slice(0, query);
}
