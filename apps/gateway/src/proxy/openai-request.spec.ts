import { GatewayException } from '../errors/gateway.exception';
import { parseOpenAiRequest, upstreamBody } from './openai-request';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('parseOpenAiRequest', () => {
  it('reads the model and the stream flags', () => {
    const request = parseOpenAiRequest(
      body({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } }),
    );

    expect(request).toMatchObject({ model: 'gpt-4o', stream: true, clientWantsUsage: true });
  });

  it.each([
    ['malformed JSON', Buffer.from('{"model":'), 'invalid_json'],
    ['an empty body', Buffer.alloc(0), 'invalid_json'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([
        Buffer.from('{"model":"m","x":"'),
        Buffer.from([0xff, 0xc3]),
        Buffer.from('"}'),
      ]),
      'invalid_json',
    ],
    ['an array', body([1]), 'invalid_json'],
    ['no model', body({ messages: [] }), 'invalid_request'],
    ['an empty model', body({ model: ' ' }), 'invalid_request'],
    ['a non-boolean stream', body({ model: 'm', stream: 'yes' }), 'invalid_request'],
    ['a 257-character model', body({ model: 'm'.repeat(257) }), 'invalid_request'],
    ['a model with a control character', body({ model: 'gpt\u0000' }), 'invalid_request'],
  ])('refuses %s with a clear code', (_, raw, code) => {
    expect(() => parseOpenAiRequest(raw)).toThrow(GatewayException);
    try {
      parseOpenAiRequest(raw);
    } catch (error) {
      expect((error as GatewayException).code).toBe(code);
    }
  });

  it('says so when the body is not UTF-8, rather than altering its bytes', () => {
    const raw = Buffer.concat([
      Buffer.from('{"model":"m","x":"'),
      Buffer.from([0xc3]),
      Buffer.from('"}'),
    ]);

    expect(() => parseOpenAiRequest(raw)).toThrow('The request body is not valid UTF-8.');
  });
});

describe('upstreamBody', () => {
  it('passes the body through untouched when the model is not renamed', () => {
    const raw = '{"model":"gpt-4",  "unknown_field":{"kept":[1,2]}}';

    expect(upstreamBody(parseOpenAiRequest(Buffer.from(raw)), 'gpt-4')).toBe(raw);
  });

  it('renames the model and nothing else', () => {
    const raw = '{"model":"gpt-4","temperature":0.70}';

    expect(upstreamBody(parseOpenAiRequest(Buffer.from(raw)), 'gpt-4-turbo')).toBe(
      '{"model":"gpt-4-turbo","temperature":0.70}',
    );
  });

  it('asks for the usage chunk of a stream the client did not ask it for', () => {
    const request = parseOpenAiRequest(
      body({ model: 'm', stream: true, stream_options: { x: 1 } }),
    );

    const sent = JSON.parse(upstreamBody(request, 'm')) as Record<string, unknown>;

    expect(sent.stream_options).toEqual({ x: 1, include_usage: true });
    expect(request.clientWantsUsage).toBe(false);
  });

  it('writes one value for keys a client repeated, so the provider reads what was routed', () => {
    const raw =
      '{"model":"o3-mini","model":"gpt-4","stream":true,"stream_options":{"include_usage":false},"stream_options":{"include_usage":false}}';

    const sent = upstreamBody(parseOpenAiRequest(Buffer.from(raw)), 'gpt-4-turbo');

    expect(sent).toBe(
      '{"model":"gpt-4-turbo","model":"gpt-4-turbo","stream":true,"stream_options":{"include_usage":true},"stream_options":{"include_usage":true}}',
    );
  });
});
