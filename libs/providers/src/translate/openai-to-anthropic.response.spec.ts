import { openAiChatResponseToAnthropic } from './openai-to-anthropic.response';
import { MalformedUpstreamResponseException } from './translation.exception';

const context = { model: 'gpt-x' };
const completion = (message: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-x-2025',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
  ...fields,
});

describe(openAiChatResponseToAnthropic.name, () => {
  it('answers with a text block, the upstream id and model, and end_turn', () => {
    const message = openAiChatResponseToAnthropic(completion({ content: 'Hello' }), context);

    expect(message).toEqual({
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-x-2025',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  it('turns parallel tool calls into tool_use blocks with parsed input', () => {
    const body = completion({
      content: null,
      tool_calls: [
        {
          id: 'call_a',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
      ],
    });
    body.choices[0].finish_reason = 'tool_calls';

    const message = openAiChatResponseToAnthropic(body, context);

    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    ['function_call', 'tool_use'],
  ])('maps finish reason %s to stop reason %s', (finishReason, stopReason) => {
    const body = completion({ content: 'x' });
    body.choices[0].finish_reason = finishReason;

    const message = openAiChatResponseToAnthropic(body, context);

    expect(message.stop_reason).toBe(stopReason);
  });

  it('turns a refusal into text with stop reason refusal', () => {
    const message = openAiChatResponseToAnthropic(
      completion({ content: null, refusal: 'I cannot.' }),
      context,
    );

    expect(message.content).toEqual([{ type: 'text', text: 'I cannot.' }]);
    expect(message.stop_reason).toBe('refusal');
  });

  it('moves cached prompt tokens from input to cache reads', () => {
    const usage = {
      prompt_tokens: 100,
      completion_tokens: 7,
      total_tokens: 107,
      prompt_tokens_details: { cached_tokens: 64 },
    };

    const message = openAiChatResponseToAnthropic(completion({ content: 'x' }, { usage }), context);

    expect(message.usage).toEqual({
      input_tokens: 36,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 64,
    });
  });

  it.each([
    ['no choices', { ...completion({ content: 'x' }), choices: [] }],
    [
      'tool arguments that are not an object',
      completion({
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: 'not json' } }],
      }),
    ],
    ['a body that is not a completion', { error: { message: 'x' } }],
  ])('refuses an answer with %s', (_name, body) => {
    const act = () => openAiChatResponseToAnthropic(body, context);

    expect(act).toThrow(MalformedUpstreamResponseException);
  });
});
