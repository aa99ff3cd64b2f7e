import { responsesToOpenAiChat } from './responses-to-chat.request';
import { translateResponsesRequest } from './responses-translation';
import { TranslationException } from './translation.exception';

const TARGET = 'Anthropic';
const WEATHER_TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

function refusal(body: Record<string, unknown>): TranslationException {
  try {
    responsesToOpenAiChat({ model: 'm', input: 'Hi', ...body }, TARGET);
  } catch (error) {
    if (error instanceof TranslationException) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(responsesToOpenAiChat.name, () => {
  it('makes a string input one user message, after the instructions as a system message', () => {
    const { body } = responsesToOpenAiChat(
      { model: 'm', input: 'Hello', instructions: 'Be brief.' },
      TARGET,
    );

    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('keeps a multi-turn conversation of message items, developer turns as system', () => {
    const { body } = responsesToOpenAiChat(
      {
        model: 'm',
        input: [
          { role: 'developer', content: 'Answer in French.' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
          {
            type: 'message',
            role: 'assistant',
            id: 'msg_1',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Salut', annotations: [] }],
          },
          { role: 'user', content: 'Again' },
        ],
      },
      TARGET,
    );

    expect(body.messages).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Salut' }] },
      { role: 'user', content: 'Again' },
    ]);
  });

  it('merges parallel function calls into one assistant turn with distinct ids, then tool results', () => {
    const { body } = responsesToOpenAiChat(
      {
        model: 'm',
        tools: [WEATHER_TOOL],
        input: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            type: 'function_call',
            id: 'fc_1',
            call_id: 'call_a',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
          },
          {
            type: 'function_call',
            id: 'fc_2',
            call_id: 'call_b',
            name: 'get_weather',
            arguments: '{"city":"Rome"}',
          },
          { type: 'function_call_output', call_id: 'call_a', output: '18°C' },
          {
            type: 'function_call_output',
            call_id: 'call_b',
            output: [{ type: 'input_text', text: '21°C' }],
          },
        ],
      },
      TARGET,
    );

    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_b',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '18°C' },
      { role: 'tool', tool_call_id: 'call_b', content: '21°C' },
    ]);
  });

  it('joins function calls to the assistant text of the same turn', () => {
    const { body } = responsesToOpenAiChat(
      {
        model: 'm',
        input: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: 'Let me check.' },
          { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
        ],
      },
      TARGET,
    );

    expect(body.messages[1]).toMatchObject({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id: 'call_a' }],
    });
  });

  it('carries function tools, tool choice, limits, sampling and JSON schema output', () => {
    const { body } = responsesToOpenAiChat(
      {
        model: 'm',
        input: 'Hi',
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'function', name: 'get_weather' },
        parallel_tool_calls: false,
        max_output_tokens: 300,
        temperature: 0.2,
        top_p: 0.9,
        text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } },
        reasoning: { effort: 'low', summary: 'auto' },
        user: 'u-1',
        stream: true,
      },
      TARGET,
    );

    expect(body).toMatchObject({
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather of a city',
            parameters: WEATHER_TOOL.parameters,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      max_completion_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' } },
      },
      reasoning_effort: 'low',
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('asks for JSON mode with text.format json_object', () => {
    const { body } = responsesToOpenAiChat(
      { model: 'm', input: 'Hi', text: { format: { type: 'json_object' } } },
      TARGET,
    );

    expect(body.response_format).toEqual({ type: 'json_object' });
  });

  it('echoes the request settings for the response object', () => {
    const { context } = responsesToOpenAiChat(
      { model: 'm', input: 'Hi', instructions: 'Be brief.', max_output_tokens: 50 },
      TARGET,
    );

    expect(context).toMatchObject({
      model: 'm',
      echo: { instructions: 'Be brief.', max_output_tokens: 50, store: false, tools: [] },
    });
  });

  it.each([
    ['tools.0.type', { tools: [{ type: 'web_search' }] }],
    ['tools.1.type', { tools: [WEATHER_TOOL, { type: 'file_search', vector_store_ids: ['v'] }] }],
    ['tool_choice.type', { tool_choice: { type: 'web_search_preview' } }],
    ['previous_response_id', { previous_response_id: 'resp_1' }],
    ['conversation', { conversation: 'conv_1' }],
    ['store', { store: true }],
    ['background', { background: true }],
    ['include', { include: ['message.output_text.logprobs'] }],
    ['max_tool_calls', { max_tool_calls: 3 }],
    ['truncation', { truncation: 'auto' }],
    ['text.verbosity', { text: { verbosity: 'low' } }],
    ['input.0.type', { input: [{ type: 'item_reference', id: 'msg_1' }] }],
    [
      'input.1.type',
      {
        input: [
          { role: 'user', content: 'x' },
          { type: 'reasoning', id: 'r' },
        ],
      },
    ],
    [
      'input.0.content.0.file_id',
      { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] },
    ],
    [
      'input.0.content.0.file_url',
      {
        input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/y.pdf' }] }],
      },
    ],
    ['input.0.call_id', { input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }],
    ['unknown_field', { unknown_field: 1 }],
  ])('refuses %s with a 400 naming it', (field, body) => {
    const error = refusal(body);

    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('accepts store: false and the encrypted reasoning include, which ask for nothing', () => {
    expect(() =>
      responsesToOpenAiChat(
        { model: 'm', input: 'Hi', store: false, include: ['reasoning.encrypted_content'] },
        TARGET,
      ),
    ).not.toThrow();
  });

  it('refuses a request without any message', () => {
    expect(() => responsesToOpenAiChat({ model: 'm', instructions: 'x' }, TARGET)).toThrow(
      TranslationException,
    );
  });
});

describe(translateResponsesRequest.name, () => {
  it('reaches Anthropic with the system prompt, tools and output limit', () => {
    const translated = translateResponsesRequest('anthropic', {
      model: 'claude-x',
      instructions: 'Be brief.',
      input: 'Weather?',
      tools: [WEATHER_TOOL],
      max_output_tokens: 200,
      stream: true,
    });

    expect(translated).toMatchObject({ model: 'claude-x', stream: true });
    expect(translated.body).toMatchObject({
      model: 'claude-x',
      system: [{ type: 'text', text: 'Be brief.' }],
      max_tokens: 200,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] }],
      tools: [{ name: 'get_weather', input_schema: WEATHER_TOOL.parameters }],
      stream: true,
    });
  });

  it('reaches Gemini with function call and response parts matched by name', () => {
    const translated = translateResponsesRequest('gemini', {
      model: 'gemini-x',
      input: [
        { role: 'user', content: 'Weather?' },
        {
          type: 'function_call',
          call_id: 'call_a',
          name: 'get_weather',
          arguments: '{"city":"P"}',
        },
        { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
      ],
      tools: [WEATHER_TOOL],
      temperature: 0.5,
    });

    expect(translated).toMatchObject({ model: 'gemini-x', stream: false });
    expect(translated.body).toMatchObject({
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'P' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather' } }] },
      ],
      generationConfig: { temperature: 0.5 },
    });
  });

  it('names the provider in refusals', () => {
    expect(() =>
      translateResponsesRequest('gemini', {
        model: 'gemini-x',
        input: 'Hi',
        tools: [{ type: 'code_interpreter' }],
      }),
    ).toThrow(/'tools.0.type' cannot be translated for a Gemini provider/);
  });

  it('does not translate for an OpenAI-type provider, which passes the body through', () => {
    expect(() => translateResponsesRequest('openai', { model: 'm', input: 'Hi' })).toThrow(
      TranslationException,
    );
  });
});
