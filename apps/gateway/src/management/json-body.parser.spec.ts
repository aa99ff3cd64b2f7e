import Fastify, { FastifyInstance } from 'fastify';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toOpenAiError } from '../errors/openai-error';
import { fromFastifyError } from '../proxy/openai.routes';
import { parseJsonBody, useJsonBodyParser } from './json-body.parser';

describe(parseJsonBody.name, () => {
  const refusal = (text: string | Buffer): GatewayException => {
    try {
      parseJsonBody(Buffer.isBuffer(text) ? text : Buffer.from(text));
    } catch (error) {
      return error as GatewayException;
    }
    throw new Error('the body was accepted');
  };

  it('parses a JSON body, keys such as "constructor" and "prototype" alone included', () => {
    const text = '{"Name":"n","Config":{"constructor":"x","prototype":{"a":[1,{"b":null}]}}}';

    expect(parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it.each([
    ['at the top', '{"Name":"n","__proto__":{"admin":true}}', '__proto__', undefined],
    ['nested', '{"Config":{"extra":[{"__proto__":{}}]}}', '__proto__', 'Config.extra.0'],
    ['escaped', '{"Config":{"\\u005f_proto__":{}}}', '__proto__', 'Config'],
    ['under constructor', '{"constructor":{"prototype":{}}}', 'constructor.prototype', undefined],
  ])(
    'refuses a "__proto__" or "constructor.prototype" key %s, saying so',
    (_case, text, key, param) => {
      const error = refusal(text);

      expect(error).toBeInstanceOf(GatewayException);
      expect(error.code).toBe(GatewayErrorCode.InvalidRequest);
      expect(error.message).toContain(`holds a "${key}" key`);
      expect(error.message).toContain('which the router refuses');
      expect(error.message).not.toContain('not valid JSON');
      expect(error.param).toBe(param);
    },
  );

  it('tells malformed JSON, bytes that are not UTF-8 and an empty body apart', () => {
    expect(refusal('{"Name": ').message).toMatch(/^The request body is not valid JSON: .+\.$/);
    expect(refusal(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])).message).toBe(
      'The request body is not valid UTF-8.',
    );
    expect(refusal('').message).toBe('The request body is empty.');
  });

  it('walks a deeply nested body without exhausting the stack', () => {
    const depth = 200_000;
    const text = `${'{"a":'.repeat(depth)}{"__proto__":1}${'}'.repeat(depth)}`;

    const error = refusal(text);

    expect(error.message).toContain('"__proto__"');
    expect(error.param?.length).toBeLessThanOrEqual(201);
  });
});

describe(useJsonBodyParser.name, () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    app = Fastify();
    useJsonBodyParser(app, 1024);
    app.setErrorHandler((error, request, reply) => {
      const { status, body } = toOpenAiError(fromFastifyError(error), request.id);
      void reply.code(status).send(body);
    });
    app.post('/x-conf', async (request) => ({ body: request.body }));
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
  });

  it('answers a body with a "__proto__" key with an OpenAI-shaped 400 naming the key', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/x-conf',
      headers: { 'content-type': 'application/json' },
      payload: '{"ModelMapper":"a=b","__proto__":{}}',
    });

    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({
      code: 'invalid_request',
      type: 'invalid_request_error',
      message: expect.stringContaining('"__proto__"'),
    });
  });

  it('still parses other bodies, and keeps the body limit', async () => {
    const plain = await app.inject({
      method: 'POST',
      url: '/x-conf',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '{"ModelMapper":"a=b"}',
    });
    const large = await app.inject({
      method: 'POST',
      url: '/x-conf',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ModelMapper: 'm'.repeat(2048) }),
    });

    expect(plain.json()).toEqual({ body: { ModelMapper: 'a=b' } });
    expect(large.statusCode).toBe(413);
  });
});
