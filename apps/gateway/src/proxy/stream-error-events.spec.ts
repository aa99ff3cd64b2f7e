import { stampErrorEvents } from './stream-error-events';

const data = (body: object): string => `data: ${JSON.stringify(body)}\n\n`;

describe(stampErrorEvents.name, () => {
  const marks = { requestId: 'req_1', code: 'upstream_stream_incomplete', replace: true } as const;

  it("gives an OpenAI caller's error chunk the router's code and request id", () => {
    const text =
      data({ choices: [{ delta: { content: 'Hi' } }] }) +
      data({ error: { message: 'The provider ended the stream early.', type: 'server_error' } });

    const stamped = stampErrorEvents(text, 'openai', marks);

    const events = stamped.text.split('\n\n').filter(Boolean);
    expect(stamped.errors).toBe(1);
    expect(events[0]).toBe(data({ choices: [{ delta: { content: 'Hi' } }] }).trim());
    expect(JSON.parse(events[1].slice('data: '.length))).toEqual({
      error: {
        message: 'The provider ended the stream early.',
        type: 'server_error',
        code: 'upstream_stream_incomplete',
        request_id: 'req_1',
      },
    });
  });

  it("keeps the provider's own code unless told to replace it", () => {
    const text = data({ error: { message: 'busy', type: 'server_error', code: 'overloaded' } });

    const kept = stampErrorEvents(text, 'openai', { ...marks, replace: false });

    expect(JSON.parse(kept.text.slice('data: '.length))).toMatchObject({
      error: { code: 'overloaded', request_id: 'req_1' },
    });
  });

  it("gives an Anthropic caller's `event: error` the request id at the top", () => {
    const error = { type: 'error', error: { type: 'api_error', message: 'ended early' } };
    const text = `event: content_block_delta\ndata: {"type":"content_block_delta"}\n\nevent: error\n${data(error)}`;

    const stamped = stampErrorEvents(text, 'anthropic', marks);

    expect(stamped.errors).toBe(1);
    expect(stamped.text).toContain(
      'event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n',
    );
    expect(stamped.text).toContain(`event: error\n${data({ ...error, request_id: 'req_1' })}`);
  });

  it('says why the router ended the stream when it knows (the provider fell silent)', () => {
    const message = 'The provider stream was cut: the provider was silent for more than 2000 ms.';
    const openai = data({ error: { message: 'ended early', type: 'server_error' } });
    const anthropic = `event: error\n${data({ type: 'error', error: { type: 'api_error', message: 'ended early' } })}`;

    const toOpenAi = stampErrorEvents(openai, 'openai', { ...marks, message });
    const toAnthropic = stampErrorEvents(anthropic, 'anthropic', { ...marks, message });

    expect(JSON.parse(toOpenAi.text.slice('data: '.length))).toMatchObject({ error: { message } });
    expect(toAnthropic.text).toContain(JSON.stringify({ type: 'api_error', message }));
  });

  it('leaves text without error events as it is', () => {
    const text = `${data({ choices: [] })}data: [DONE]\n\n`;

    expect(stampErrorEvents(text, 'openai', marks)).toEqual({ text, errors: 0 });
    expect(stampErrorEvents('', 'openai', marks)).toEqual({ text: '', errors: 0 });
  });
});
