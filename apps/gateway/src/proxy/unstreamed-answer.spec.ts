import { SseParser } from '@xai/providers';

import { ResponsesStreamEnding } from './responses-stream-ending';
import { cameUnstreamed, unstreamedAnswerEvents } from './unstreamed-answer';

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' } },
          { id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};

const dataOf = (text: string) => new SseParser().push(Buffer.from(text)).map((e) => e.data);

describe('a stream request answered without streaming', () => {
  it('is told apart by the endpoint, the flag and the content type', () => {
    expect(cameUnstreamed('/v1/chat/completions', true, 'application/json')).toBe(true);
    expect(cameUnstreamed('/v1/chat/completions', true, 'text/event-stream')).toBe(false);
    expect(cameUnstreamed('/v1/chat/completions', false, 'application/json')).toBe(false);
    expect(cameUnstreamed('/v1/embeddings', true, 'application/json')).toBe(false);
  });

  it('turns a chat completion into the chunks streaming it, tool calls indexed, then [DONE]', () => {
    const { text, converted } = unstreamedAnswerEvents(COMPLETION, 'openai', { requestId: 'r' });

    const data = dataOf(text);
    expect(converted).toBe(true);
    expect(data.at(-1)).toBe('[DONE]');
    const [delta, usage] = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(delta).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          delta: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { index: 0, ...COMPLETION.choices[0].message.tool_calls[0] },
              { index: 1, ...COMPLETION.choices[0].message.tool_calls[1] },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
    });
    expect(usage).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: COMPLETION.usage,
    });
  });

  it('ends any other answer with an error event in the caller protocol', () => {
    const anthropic = unstreamedAnswerEvents({ type: 'message' }, 'anthropic', { requestId: 'r1' });
    const openai = unstreamedAnswerEvents({ object: 'text_completion' }, 'openai', {
      requestId: 'r2',
    });

    expect(anthropic.converted).toBe(false);
    expect(anthropic.text).toMatch(/^event: error\n/);
    expect(JSON.parse(dataOf(anthropic.text)[0])).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('without streaming') },
      request_id: 'r1',
    });
    expect(JSON.parse(dataOf(openai.text)[0])).toMatchObject({
      error: { code: 'upstream_stream_error', request_id: 'r2' },
    });
  });

  it("ends a Responses stream with the Responses API's own failure events", () => {
    const ending = new ResponsesStreamEnding();

    const { text } = unstreamedAnswerEvents({ object: 'response' }, 'openai', {
      requestId: 'r',
      ending,
    });

    expect(text).toContain('event: error');
    expect(text).toContain('without streaming');
  });
});
