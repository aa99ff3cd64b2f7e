import Fastify from 'fastify';

import { frameworkErrorOptions, refuseTooManyHeaders } from './framework-errors';

describe('refuseTooManyHeaders', () => {
  const app = Fastify(frameworkErrorOptions({ maxHeaderBytes: 32_768, maxParamLength: 100 }));
  refuseTooManyHeaders(app, 10);
  app.post('/v1/messages', async () => ({ ok: true }));

  afterAll(() => app.close());

  const headers = (count: number, extra: Record<string, string> = {}) => {
    const all: Record<string, string> = { ...extra };
    for (let i = Object.keys(all).length; i < count; i++) all[`x-h-${i}`] = 'v';

    return all;
  };

  it('lets Node keep every header, so none is dropped silently', () => {
    expect(app.server.maxHeadersCount).toBe(0);
  });

  it("answers 431 in the caller's shape, with the request id, past the count", async () => {
    const reply = await app.inject({ method: 'POST', url: '/v1/messages', headers: headers(40) });

    expect(reply.statusCode).toBe(431);
    expect(reply.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'The request has more than 10 headers.' },
      request_id: reply.headers['x-request-id'],
    });
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
  });

  it('answers in OpenAI shape elsewhere, and serves requests within the count', async () => {
    const many = await app.inject({ method: 'GET', url: '/v1/models', headers: headers(40) });
    const few = await app.inject({ method: 'POST', url: '/v1/messages', headers: headers(3) });

    expect(many.statusCode).toBe(431);
    expect(many.json().error).toMatchObject({ code: 'invalid_request' });
    expect(few.statusCode).toBe(200);
  });
});
