import { ServerResponse } from 'node:http';

import { IdleTimeoutError } from './idle-limits';
import { ResponsesStreamEnding } from './responses-stream-ending';
import { relaySse } from './sse-relay';

/** A client connection that keeps what it is sent. */
function client(): { response: ServerResponse; text: () => string } {
  const written: string[] = [];
  const response = {
    destroyed: false,
    write: (text: string) => written.push(text) > 0,
    end: () => undefined,
  } as unknown as ServerResponse;

  return { response, text: () => written.join('') };
}

async function* upstream(...frames: string[]): AsyncIterable<Buffer> {
  for (const frame of frames) yield Buffer.from(frame);
}

const chunk = (content: string, finish: string | null = null): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

describe('relaySse', () => {
  const options = { hideUsageChunk: false, requestId: 'req_1', caller: 'openai' as const };

  it('relays a finished OpenAI stream as it is', async () => {
    const { response, text } = client();

    const outcome = await relaySse(
      upstream(chunk('Hel'), chunk('lo', 'stop'), 'data: [DONE]\n\n'),
      response,
      options,
    );

    expect(outcome.errorCode).toBeUndefined();
    expect(text()).not.toContain('error');
  });

  it('ends a stream closed cleanly before its finish with an error event, after the chunks', async () => {
    const { response, text } = client();

    const outcome = await relaySse(upstream(chunk('Hel'), chunk('lo')), response, options);

    expect(outcome).toMatchObject({ errorCode: 'upstream_stream_incomplete' });
    expect((outcome.cause as { code: string }).code).toBe('XAI_STREAM_INCOMPLETE');
    const events = text().split('\n\n').filter(Boolean);
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[2].slice('data: '.length))).toMatchObject({
      error: { code: 'upstream_stream_incomplete', request_id: 'req_1' },
    });
  });

  it('says a stream cut for the provider falling silent was cut for that', async () => {
    const { response, text } = client();
    async function* stalled(): AsyncIterable<Buffer> {
      yield Buffer.from(chunk('Hel'));
      throw new IdleTimeoutError(false, 2_000);
    }

    const outcome = await relaySse(stalled(), response, options);

    expect(outcome).toMatchObject({ errorCode: 'upstream_stream_error' });
    const events = text().split('\n\n').filter(Boolean);
    expect(JSON.parse(events[1].slice('data: '.length))).toMatchObject({
      error: {
        code: 'upstream_stream_error',
        message: 'The provider stream was cut: the provider was silent for more than 2000 ms.',
      },
    });
  });

  it('hides the usage chunk from a client that did not ask for usage, even one it cannot read', async () => {
    const usageChunk = (usage: unknown, choices: unknown = []): string =>
      `data: ${JSON.stringify({ choices, usage })}\n\n`;
    const filterChunk = `data: ${JSON.stringify({ choices: [], usage: null, prompt_filter_results: [] })}\n\n`;
    for (const [usage, choices] of [
      [{ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, []],
      [{ prompt_tokens: 'three' }, []],
      ['unreadable', []],
      // Some compatible hosts leave the choices out of it, or send them as null.
      [{ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, undefined],
      [{ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, null],
    ]) {
      const { response, text } = client();

      await relaySse(
        upstream(filterChunk, chunk('Hi', 'stop'), usageChunk(usage, choices), 'data: [DONE]\n\n'),
        response,
        { ...options, hideUsageChunk: true },
      );

      expect(text()).not.toContain('"usage":{');
      expect(text()).not.toContain('three');
      expect(text()).not.toContain('unreadable');
      expect(text()).toContain('prompt_filter_results');
      expect(text()).toContain('[DONE]');
    }
  });

  it('takes a finish_reason without [DONE] as finished (some compatible hosts omit it)', async () => {
    const { response } = client();

    const outcome = await relaySse(upstream(chunk('Hi', 'stop')), response, options);

    expect(outcome.errorCode).toBeUndefined();
  });

  it('adds the [DONE] mark OpenAI SDKs wait for when the provider left it out', async () => {
    const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 1 } })}\n\n`;
    const sent = [client(), client()];

    await relaySse(upstream(chunk('Hi', 'stop'), usage), sent[0].response, options);
    await relaySse(upstream(chunk('Hi', 'stop'), 'data: [DONE]\n\n'), sent[1].response, options);

    const events = sent.map(({ text }) => text().split('\n\n').filter(Boolean));
    expect(events[0]).toHaveLength(3);
    expect(events[0][2]).toBe('data: [DONE]');
    expect(events[1].filter((event) => event === 'data: [DONE]')).toHaveLength(1);
  });

  it("ends an Anthropic stream without message_stop with Anthropic's error event", async () => {
    const { response, text } = client();
    const usage = { observe: () => undefined, usage: null };
    const delta = JSON.stringify({ type: 'content_block_delta', index: 0, delta: { text: 'x' } });

    const outcome = await relaySse(
      upstream(`event: content_block_delta\ndata: ${delta}\n\n`),
      response,
      { ...options, caller: 'anthropic', usage },
    );

    expect(outcome.errorCode).toBe('upstream_stream_incomplete');
    expect(text()).toMatch(/event: error\ndata: \{"type":"error"/);
  });

  it("records a provider's own error event as an error, adding none of its own", async () => {
    const { response, text } = client();
    const error = JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } });

    const outcome = await relaySse(upstream(chunk('Hel'), `data: ${error}\n\n`), response, options);

    expect(outcome.errorCode).toBe('upstream_stream_error');
    expect(outcome.error).toBeUndefined();
    expect(text().split('\n\n').filter(Boolean)).toHaveLength(2);
  });

  it('ends a broken Responses stream with its own error event and response.failed', async () => {
    const { response, text } = client();
    const event = (type: string, sequence: number, extra: object = {}): string =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...extra })}\n\n`;
    const opened = { id: 'resp_1', object: 'response', status: 'in_progress', output: [] };

    const outcome = await relaySse(
      upstream(
        event('response.created', 0, { response: opened }),
        event('response.in_progress', 1),
      ),
      response,
      { ...options, ending: new ResponsesStreamEnding() },
    );

    expect(outcome.errorCode).toBe('upstream_stream_incomplete');
    const events = text().split('\n\n').filter(Boolean);
    expect(events.map((each) => /^event: (.*)$/m.exec(each)?.[1])).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
    const data = events.map((each) => JSON.parse(/^data: (.*)$/m.exec(each)?.[1] ?? '') as object);
    expect(data[2]).toMatchObject({
      type: 'error',
      sequence_number: 2,
      code: 'upstream_stream_incomplete',
      error: { type: 'server_error', code: 'upstream_stream_incomplete', request_id: 'req_1' },
    });
    expect(data[3]).toMatchObject({
      sequence_number: 3,
      response: { id: 'resp_1', status: 'failed', error: { code: 'server_error' } },
    });
  });

  describe('with a cap on event size', () => {
    const image = 'A'.repeat(1.5 * 1024 * 1024);
    const done = (result: string): string =>
      `event: response.output_item.done\ndata: ${JSON.stringify({ type: 'response.output_item.done', item: { type: 'image_generation_call', result } })}\n\n`;

    it('relays an event larger than 1 MiB whole when the cap allows it', async () => {
      const { response, text } = client();

      const outcome = await relaySse(upstream(done(image), chunk('', 'stop')), response, {
        ...options,
        maxEventLength: 32 * 1024 * 1024,
      });

      expect(outcome.errorCode).toBeUndefined();
      expect(text()).toContain(image);
    });

    it('cuts an event past the cap with an error of its own, not a broken stream', async () => {
      const { response, text } = client();

      const outcome = await relaySse(upstream(chunk('Hi'), done(image)), response, {
        ...options,
        maxEventLength: 1024 * 1024,
      });

      expect(outcome.errorCode).toBe('upstream_event_too_large');
      const events = text().split('\n\n').filter(Boolean);
      expect(JSON.parse(events[1].slice('data: '.length))).toMatchObject({
        error: {
          code: 'upstream_event_too_large',
          message: expect.stringContaining('larger than the router'),
        },
      });
    });
  });
});
