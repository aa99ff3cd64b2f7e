import { secretScrubber } from '@xai/providers';

import { relayedErrorBody, withRequestId } from './upstream-error-body';

describe(relayedErrorBody.name, () => {
  it('adds the request id inside an OpenAI-shaped error', () => {
    const bytes = Buffer.from('{"error":{"message":"bad","type":"invalid_request_error"}}');

    const relayed = JSON.parse(
      relayedErrorBody('openai', { status: 400, bytes, requestId: 'req_1' }),
    ) as unknown;

    expect(relayed).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', request_id: 'req_1' },
    });
  });

  it('adds the request id at the top of an Anthropic-shaped error', () => {
    const bytes = Buffer.from('{"type":"error","error":{"type":"overloaded_error","message":"x"}}');

    const relayed = JSON.parse(
      relayedErrorBody('anthropic', { status: 529, bytes, requestId: 'req_2' }),
    ) as unknown;

    expect(relayed).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'x' },
      request_id: 'req_2',
    });
  });

  it('leaves a JSON body of another shape as it came', () => {
    const other = Buffer.from('{"detail":"nope"}');

    expect(relayedErrorBody('openai', { status: 400, bytes: other, requestId: 'req_3' })).toBe(
      '{"detail":"nope"}',
    );
    expect(withRequestId('openai', { type: 'error', error: {} }, 'req_3')).toEqual({
      type: 'error',
      error: {},
    });
  });

  it("wraps a body that is not JSON in the OpenAI caller's error shape, scrubbed", () => {
    const html = Buffer.from('<html>502 sk-proj-abcdefghijklmnopqrstuvwxyz0123456789</html>\n');

    const relayed = relayedErrorBody('openai', { status: 502, bytes: html, requestId: 'req_4' });

    const error = (JSON.parse(relayed) as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ type: 'server_error', request_id: 'req_4' });
    expect(error.message).toMatch(/^<html>502 /);
    expect(relayed).not.toContain('abcdefghijklmnop');
  });

  it("wraps plain text, and a bare JSON value, in the Anthropic caller's error shape", () => {
    const text = Buffer.from('upstream connect error or disconnect/reset before headers');
    const bare = Buffer.from('429');

    const relayed = [
      relayedErrorBody('anthropic', { status: 503, bytes: text, requestId: 'req_5' }),
      relayedErrorBody('anthropic', { status: 429, bytes: bare, requestId: 'req_6' }),
    ].map((body) => JSON.parse(body) as unknown);

    expect(relayed).toEqual([
      {
        type: 'error',
        error: {
          type: 'api_error',
          message: 'upstream connect error or disconnect/reset before headers',
        },
        request_id: 'req_5',
      },
      { type: 'error', error: { type: 'rate_limit_error', message: '429' }, request_id: 'req_6' },
    ]);
  });

  it('truncates a long text body and says the status when there is none', () => {
    const long = Buffer.from('x'.repeat(10_000));

    const bodies = [
      relayedErrorBody('openai', { status: 500, bytes: long, requestId: 'r' }),
      relayedErrorBody('openai', { status: 502, bytes: Buffer.alloc(0), requestId: 'r' }),
    ].map((body) => (JSON.parse(body) as { error: { message: string } }).error.message);

    expect(bodies[0].length).toBeLessThanOrEqual(2000);
    expect(bodies[1]).toBe('The provider answered 502.');
  });

  it('removes a secret hidden behind \\u escapes, which parsing decodes', () => {
    const secret = 'cnry.1a2b3c4d.5e6f7a8b';
    const escaped = [...secret].map(
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const bytes = Buffer.from(
      `{"error":{"message":"Incorrect API key provided: ${escaped.join('')}"}}`,
    );

    const relayed = relayedErrorBody('openai', {
      status: 400,
      bytes,
      requestId: 'req_7',
      scrub: secretScrubber([secret]),
    });

    expect(relayed).not.toContain(secret);
    expect(JSON.stringify(JSON.parse(relayed))).not.toContain(secret);
    expect(JSON.parse(relayed)).toEqual({
      error: { message: 'Incorrect API key provided: [redacted]', request_id: 'req_7' },
    });
  });
});
