import { toCallerError } from './caller-error';
import { protocolOfUnroutedRequest, unknownRouteError } from './unknown-route';

const request = (method: string, url: string, headers: Record<string, string> = {}) => ({
  method,
  url,
  headers,
});

describe('unknown routes', () => {
  it.each([
    ['a path under /v1/messages', request('POST', '/v1/messages/batches')],
    ['a GET of /v1/messages', request('GET', '/v1/messages?limit=1')],
    ['anthropic-version', request('GET', '/v1/other', { 'anthropic-version': '2023-06-01' })],
    ['x-api-key', request('POST', '/v1/other', { 'x-api-key': 'sk-xai-1' })],
  ])('are refused in Anthropic shape for %s', (_, unrouted) => {
    expect(protocolOfUnroutedRequest(unrouted)).toBe('anthropic');
  });

  it('are refused in OpenAI shape otherwise', () => {
    expect(
      protocolOfUnroutedRequest(request('GET', '/v1/other', { authorization: 'Bearer k' })),
    ).toBe('openai');
  });

  it('answers 405 for another method on a POST-only path, 404 elsewhere', () => {
    const wrongMethod = toCallerError(
      'anthropic',
      unknownRouteError(request('GET', '/v1/messages')),
      'req_1',
    );
    const unknown = toCallerError(
      'anthropic',
      unknownRouteError(request('POST', '/v1/messages/batches')),
      'req_2',
    );

    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: '/v1/messages accepts only POST, not GET.' },
      request_id: 'req_1',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'Unknown route: POST /v1/messages/batches.' },
      request_id: 'req_2',
    });
  });
});
