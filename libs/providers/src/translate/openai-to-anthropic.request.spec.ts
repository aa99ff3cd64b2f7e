import { TranslationException } from './translation.exception';
import { openAiChatToAnthropic } from './openai-to-anthropic.request';

const PNG_DATA = 'iVBORw0KGgo=';
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const TIME_TOOL = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};
const user = (content: unknown) => ({ role: 'user', content });
const request = (fields: Record<string, unknown>) => ({
  model: 'claude-sonnet-4-5',
  messages: [user('Hi')],
  ...fields,
});

describe(openAiChatToAnthropic.name, () => {
  it.each([
    [
      'system and developer messages become the system prompt, in order',
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          user('Hi'),
        ],
      }),
      {
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Answer in French.' },
        ],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      },
    ],
    [
      'a multi-turn conversation keeps its turns',
      request({
        messages: [user('Hi'), { role: 'assistant', content: 'Hello!' }, user('How are you?')],
      }),
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
          { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
        ],
      },
    ],
    [
      'a data: URL image becomes a base64 image block, an https URL a url block',
      request({
        messages: [
          user([
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_DATA}` } },
            {
              type: 'image_url',
              image_url: { url: 'https://example.com/cat.jpg', detail: 'high' },
            },
          ]),
        ],
      }),
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare' },
              {
                type: 'image',
                source: { type: 'base64', media_type: 'image/png', data: PNG_DATA },
              },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      },
    ],
    [
      'a PDF file becomes a document block',
      request({
        messages: [
          user([
            {
              type: 'file',
              file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERg==' },
            },
          ]),
        ],
      }),
      {
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERg==' },
                title: 'a.pdf',
              },
            ],
          },
        ],
      },
    ],
    [
      'function tools become tools with an input schema',
      request({ tools: [WEATHER_TOOL, TIME_TOOL] }),
      {
        tools: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            input_schema: WEATHER_TOOL.function.parameters,
          },
          { name: 'get_time', input_schema: { type: 'object', properties: {} } },
        ],
      },
    ],
    [
      'parallel tool calls and their results become tool_use and tool_result blocks',
      request({
        messages: [
          user('Weather and time in Paris?'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
        ],
        tools: [WEATHER_TOOL, TIME_TOOL],
      }),
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather and time in Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
              { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
            ],
          },
        ],
      },
    ],
    [
      "tool ids outside Anthropic's alphabet are rewritten the same way on both sides",
      request({
        messages: [
          user('x'),
          {
            role: 'assistant',
            tool_calls: [
              { id: 'fn.a:0', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'fn.a:0', content: 'ok' },
        ],
      }),
      {
        messages: [
          expect.anything(),
          { role: 'assistant', content: [expect.objectContaining({ id: 'fn_a_0' })] },
          { role: 'user', content: [expect.objectContaining({ tool_use_id: 'fn_a_0' })] },
        ],
      },
    ],
    [
      'tool_choice required becomes any, and parallel_tool_calls false disables parallel use',
      request({ tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false }),
      { tool_choice: { type: 'any', disable_parallel_tool_use: true } },
    ],
    [
      'a named tool_choice becomes a tool choice',
      request({
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
      { tool_choice: { type: 'tool', name: 'get_weather' } },
    ],
    [
      'tool_choice none stays none',
      request({ tools: [WEATHER_TOOL], tool_choice: 'none' }),
      { tool_choice: { type: 'none' } },
    ],
    [
      'json_schema output becomes a forced tool named after the schema',
      request({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'city', schema: { type: 'object', properties: {} } },
        },
      }),
      {
        tools: [
          expect.objectContaining({
            name: 'city',
            input_schema: { type: 'object', properties: {} },
          }),
        ],
        tool_choice: { type: 'tool', name: 'city' },
      },
    ],
    [
      'JSON mode becomes a forced tool taking any object',
      request({ response_format: { type: 'json_object' } }),
      {
        tools: [expect.objectContaining({ name: 'json_object', input_schema: { type: 'object' } })],
        tool_choice: { type: 'tool', name: 'json_object' },
      },
    ],
    [
      'a stop string becomes one stop sequence',
      request({ stop: 'END' }),
      { stop_sequences: ['END'] },
    ],
    [
      'stop sequences are kept',
      request({ stop: ['END', '###'] }),
      { stop_sequences: ['END', '###'] },
    ],
    [
      'max_completion_tokens becomes max_tokens',
      request({ max_completion_tokens: 77 }),
      { max_tokens: 77 },
    ],
    ['max_tokens stays max_tokens', request({ max_tokens: 55 }), { max_tokens: 55 }],
    ['a missing limit gets the default', request({}), { max_tokens: 4096 }],
    [
      'sampling settings, user and stream carry over',
      request({ temperature: 0.3, top_p: 0.9, user: 'u-1', stream: true }),
      { temperature: 0.3, top_p: 0.9, metadata: { user_id: 'u-1' }, stream: true },
    ],
    [
      'reasoning_effort becomes a thinking budget on top of the default limit',
      request({ reasoning_effort: 'low' }),
      { thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 1024 + 4096 },
    ],
    [
      'reasoning_effort is kept within the caller’s limit',
      request({ reasoning_effort: 'high', max_completion_tokens: 5000 }),
      { thinking: { type: 'enabled', budget_tokens: 4999 }, max_tokens: 5000 },
    ],
  ])('%s', (_name, input, expected) => {
    const { body } = openAiChatToAnthropic(input);

    expect(body).toMatchObject(expected);
  });

  it('names the forced JSON tool and the usage wish in the context', () => {
    const { context } = openAiChatToAnthropic(
      request({
        stream: true,
        stream_options: { include_usage: true },
        response_format: { type: 'json_object' },
      }),
    );

    expect(context).toEqual({
      model: 'claude-sonnet-4-5',
      includeUsage: true,
      jsonToolName: 'json_object',
    });
  });

  it('ignores hints that do not change the answer', () => {
    const { body } = openAiChatToAnthropic(
      request({ seed: 3, store: false, metadata: { a: '1' }, n: 1, presence_penalty: 0 }),
    );

    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
  });

  it('keeps the text parts of a tool result as separate blocks', () => {
    const { body } = openAiChatToAnthropic(
      request({
        messages: [
          user('Time?'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          {
            role: 'tool',
            tool_call_id: 'call_1',
            content: [
              { type: 'text', text: '12:00' },
              { type: 'text', text: 'UTC' },
            ],
          },
        ],
      }),
    );

    expect(body.messages[2].content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'call_1',
        content: [
          { type: 'text', text: '12:00' },
          { type: 'text', text: 'UTC' },
        ],
      },
    ]);
  });

  it('refuses store: true, which nothing would honour', () => {
    expect(() => openAiChatToAnthropic(request({ store: true }))).toThrow(
      "'store' cannot be translated for an Anthropic provider",
    );
  });

  it('carries safety_identifier as the end user, as user is', () => {
    const { body } = openAiChatToAnthropic(request({ safety_identifier: 'user-42' }));

    expect(body.metadata).toEqual({ user_id: 'user-42' });
  });

  it.each([
    ['n', { n: 2 }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['logprobs', { logprobs: true }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['web_search_options', { web_search_options: {} }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['temperature', { temperature: 1.5 }],
    ['tools.0', { tools: [{ type: 'custom', custom: { name: 'x' } }] }],
    [
      'messages.0.content.0',
      { messages: [user([{ type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }])] },
    ],
    [
      'messages.0.content.0.image_url.url',
      { messages: [user([{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }])] },
    ],
    [
      'messages.0.content.0.file.file_id',
      { messages: [user([{ type: 'file', file: { file_id: 'file-1' } }])] },
    ],
    ['response_format', { tools: [WEATHER_TOOL], response_format: { type: 'json_object' } }],
    ['reasoning_effort', { reasoning_effort: 'medium', max_completion_tokens: 800 }],
    ['temperature', { reasoning_effort: 'low', temperature: 0.2 }],
    [
      'messages.1.tool_calls.0.function.arguments',
      {
        messages: [
          user('x'),
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
          },
        ],
      },
    ],
    ['messages', { messages: [] }],
    ['brand_new_field', { brand_new_field: true }],
  ])('refuses %s with a TranslationException naming it', (field, fields) => {
    const act = () => openAiChatToAnthropic(request(fields));

    expect(act).toThrow(TranslationException);
    expect(act).toThrow(expect.objectContaining({ field }));
  });
});
