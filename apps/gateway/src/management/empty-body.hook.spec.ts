import Fastify, { FastifyInstance } from 'fastify';

import { acceptEmptyBodies } from './empty-body.hook';

describe(acceptEmptyBodies.name, () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    app = Fastify();
    acceptEmptyBodies(app);
    app.delete('/x-users/:id', async (request) => ({ deleted: true, body: request.body ?? null }));
    app.put('/x-users/:id', async (request) => ({ body: request.body ?? null }));
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
  });

  it('accepts a DELETE saying application/json with no body at all', async () => {
    const answers = await Promise.all([
      app.inject({ method: 'DELETE', url: '/x-users/1', headers: json() }),
      app.inject({ method: 'DELETE', url: '/x-users/1', headers: json({ 'content-length': '0' }) }),
    ]);

    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ deleted: true, body: null });
    }
  });

  it('still parses a DELETE that has a body, and refuses an empty body where one is due', async () => {
    const withBody = await app.inject({
      method: 'DELETE',
      url: '/x-users/1',
      headers: json(),
      payload: '{"Confirm":true}',
    });
    const emptyPut = await app.inject({ method: 'PUT', url: '/x-users/1', headers: json() });

    expect(withBody.json()).toEqual({ deleted: true, body: { Confirm: true } });
    expect(emptyPut.statusCode).toBe(400);
  });
});

function json(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', ...extra };
}
