import type { SseEvent } from '../sse/sse-parser';
import { extractOpenAiUsage } from './openai-usage';
import { ResponsesStreamUsage } from './responses-stream-usage';

const event = (type: string, fields: Record<string, unknown>): SseEvent => ({
  event: type,
  data: JSON.stringify({ type, sequence_number: 0, ...fields }),
});

const usage = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 9,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 21,
};

describe(ResponsesStreamUsage.name, () => {
  it('reads the usage of the final response.completed event with the given reader', () => {
    const read = jest.fn((response: unknown) => extractOpenAiUsage(response));
    const observer = new ResponsesStreamUsage(read);

    observer.observe(event('response.created', { response: { usage: null } }));
    observer.observe(event('response.output_text.delta', { delta: 'Hi' }));
    observer.observe(event('response.completed', { response: { id: 'resp_1', usage } }));

    expect(read).toHaveBeenCalledTimes(1);
    expect(observer.usage).toEqual({ promptTokens: 12, completionTokens: 9, totalTokens: 21 });
  });

  it.each(['response.incomplete', 'response.failed'])('reads the usage of %s too', (type) => {
    const observer = new ResponsesStreamUsage(extractOpenAiUsage);

    observer.observe(event(type, { response: { usage } }));

    expect(observer.usage?.totalTokens).toBe(21);
  });

  it('skips deltas without parsing them, and unreadable events', () => {
    const read = jest.fn(extractOpenAiUsage);
    const observer = new ResponsesStreamUsage(read);

    observer.observe({ event: 'response.output_text.delta', data: '{broken' });
    observer.observe({ event: 'response.completed', data: '{broken' });

    expect(read).not.toHaveBeenCalled();
    expect(observer.usage).toBeNull();
  });
});
