import { relayedErrorBody, withRequestId } from './upstream-error-body';

describe(relayedErrorBody.name, () => {
  it('adds the request id inside an OpenAI-shaped error', () => {
    const bytes = Buffer.from('{"error":{"message":"bad","type":"invalid_request_error"}}');

    const relayed = JSON.parse(relayedErrorBody('openai', bytes, 'req_1')) as unknown;

    expect(relayed).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', request_id: 'req_1' },
    });
  });

  it('adds the request id at the top of an Anthropic-shaped error', () => {
    const bytes = Buffer.from('{"type":"error","error":{"type":"overloaded_error","message":"x"}}');

    const relayed = JSON.parse(relayedErrorBody('anthropic', bytes, 'req_2')) as unknown;

    expect(relayed).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'x' },
      request_id: 'req_2',
    });
  });

  it('leaves a body of another shape or not JSON as it came, scrubbed', () => {
    const html = Buffer.from('<html>502 sk-proj-abcdefghijklmnopqrstuvwxyz0123456789</html>');
    const other = Buffer.from('{"detail":"nope"}');

    expect(relayedErrorBody('openai', html, 'req_3')).not.toContain('abcdefghijklmnop');
    expect(relayedErrorBody('openai', other, 'req_3')).toBe('{"detail":"nope"}');
    expect(withRequestId('openai', { type: 'error', error: {} }, 'req_3')).toEqual({
      type: 'error',
      error: {},
    });
  });
});
