import { MalformedUpstreamResponseException } from './translation.exception';
import { anthropicResponseToOpenAiChat } from './anthropic-to-openai.response';
import type { AnthropicAnswerContext } from './openai-to-anthropic.request';

const context: AnthropicAnswerContext = {
  model: 'claude-x',
  includeUsage: false,
  jsonToolName: null,
};
const usage = { input_tokens: 10, output_tokens: 5 };
const message = (fields: Record<string, unknown>) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x-2025',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage,
  ...fields,
});

describe(anthropicResponseToOpenAiChat.name, () => {
  it('answers with the text, the upstream id and model, and stop', () => {
    const completion = anthropicResponseToOpenAiChat(message({}), context);

    expect(completion).toMatchObject({
      id: 'msg_1',
      object: 'chat.completion',
      model: 'claude-x-2025',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
      ],
    });
  });

  it('turns parallel tool_use blocks into tool calls, keeping the text', () => {
    const content = [
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
    ];

    const completion = anthropicResponseToOpenAiChat(
      message({ content, stop_reason: 'tool_use' }),
      context,
    );

    expect(completion.choices[0]).toMatchObject({
      message: {
        content: 'Let me check.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('gives null content when the answer is only tool calls', () => {
    const content = [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }];

    const completion = anthropicResponseToOpenAiChat(
      message({ content, stop_reason: 'tool_use' }),
      context,
    );

    expect(completion.choices[0].message.content).toBeNull();
  });

  it('turns the forced JSON tool back into JSON content finished by stop', () => {
    const content = [{ type: 'tool_use', id: 'toolu_1', name: 'city', input: { name: 'Paris' } }];

    const completion = anthropicResponseToOpenAiChat(
      message({ content, stop_reason: 'tool_use' }),
      {
        ...context,
        jsonToolName: 'city',
      },
    );

    expect(completion.choices[0]).toMatchObject({
      message: { content: '{"name":"Paris"}' },
      finish_reason: 'stop',
    });
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
  });

  it('leaves thinking blocks out of the content', () => {
    const content = [
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'text', text: 'Answer' },
    ];

    const completion = anthropicResponseToOpenAiChat(message({ content }), context);

    expect(completion.choices[0].message.content).toBe('Answer');
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
  ])('maps stop reason %s to finish reason %s', (stopReason, finishReason) => {
    const completion = anthropicResponseToOpenAiChat(message({ stop_reason: stopReason }), context);

    expect(completion.choices[0].finish_reason).toBe(finishReason);
  });

  it('counts cache reads and writes as prompt tokens, reads as cached, thinking as reasoning', () => {
    const cachedUsage = {
      input_tokens: 10,
      output_tokens: 20,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 5,
      output_tokens_details: { thinking_tokens: 7 },
    };

    const completion = anthropicResponseToOpenAiChat(message({ usage: cachedUsage }), context);

    expect(completion.usage).toEqual({
      prompt_tokens: 115,
      completion_tokens: 20,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });
  });

  it('refuses an answer that is not a message', () => {
    const act = () => anthropicResponseToOpenAiChat({ error: 'nope' }, context);

    expect(act).toThrow(MalformedUpstreamResponseException);
  });
});
