import { SseParser } from '@xai/providers';

import { ResponsesStreamEnding } from './responses-stream-ending';

/** The events of SSE text, named, with their data parsed. */
function eventsOf(text: string): Array<{ event?: string; data: Record<string, unknown> }> {
  return new SseParser().push(Buffer.from(text)).map((event) => ({
    event: event.event,
    data: JSON.parse(event.data) as Record<string, unknown>,
  }));
}

describe(ResponsesStreamEnding.name, () => {
  const refused = {
    error: {
      message: 'Every key of level 3 is asleep.',
      type: 'rate_limit_error',
      code: 'no_available_key',
      param: null,
      request_id: 'req_1',
    },
  };

  it('ends a stream no provider opened with error, then response.failed for a made-up response', () => {
    const ending = new ResponsesStreamEnding();

    const events = eventsOf(ending.refusal(refused, 'gpt-x'));

    expect(events.map((each) => each.event)).toEqual(['error', 'response.failed']);
    expect(events[0].data).toEqual({
      type: 'error',
      sequence_number: 0,
      code: 'no_available_key',
      message: 'Every key of level 3 is asleep.',
      param: null,
      error: refused.error,
    });
    expect(events[1].data).toMatchObject({
      type: 'response.failed',
      sequence_number: 1,
      response: {
        id: expect.stringMatching(/^resp_[0-9a-f]{32}$/),
        object: 'response',
        model: 'gpt-x',
        status: 'failed',
        output: [],
        error: { code: 'server_error', message: 'Every key of level 3 is asleep.' },
      },
    });
  });

  it('fails the response a provider opened, after its last sequence number', () => {
    const ending = new ResponsesStreamEnding();
    const opened = { id: 'resp_abc', object: 'response', status: 'in_progress', model: 'gpt-y' };
    ending.observe({
      event: 'response.created',
      data: JSON.stringify({ type: 'response.created', sequence_number: 4, response: opened }),
    });

    const events = eventsOf(ending.refusal(refused, 'gpt-x'));

    expect(events.map((each) => each.data.sequence_number)).toEqual([5, 6]);
    expect(events[1].data.response).toMatchObject({ id: 'resp_abc', model: 'gpt-y' });
  });

  it('still ends with an error event when the body is not an OpenAI error', () => {
    const events = eventsOf(new ResponsesStreamEnding().refusal({ detail: 'x' }, 'gpt-x'));

    expect(events[0]).toMatchObject({
      event: 'error',
      data: { type: 'error', code: 'server_error', message: 'The call failed.' },
    });
  });
});
