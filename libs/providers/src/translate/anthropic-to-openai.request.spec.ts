import { anthropicToOpenAiChat } from './anthropic-to-openai.request';
import { TranslationException } from './translation.exception';

const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } } };
const request = (fields: Record<string, unknown>) => ({
  model: 'gpt-x',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'Hi' }],
  ...fields,
});

describe(anthropicToOpenAiChat.name, () => {
  it.each([
    [
      'a system string becomes the first message',
      request({ system: 'Be brief.' }),
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
    ],
    [
      'system blocks become text parts of one system message',
      request({
        system: [
          { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Answer in French.' },
        ],
      }),
      {
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'Be brief.' },
              { type: 'text', text: 'Answer in French.' },
            ],
          },
          { role: 'user', content: 'Hi' },
        ],
      },
    ],
    [
      'a multi-turn conversation keeps its turns',
      request({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
          { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
        ],
      }),
      {
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'How are you?' },
        ],
      },
    ],
    [
      'base64 and url images become image_url parts',
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
              { type: 'text', text: 'Compare' },
            ],
          },
        ],
      }),
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
              { type: 'text', text: 'Compare' },
            ],
          },
        ],
      },
    ],
    [
      'a PDF document becomes a file part',
      request({
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                title: 'a.pdf',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' },
              },
            ],
          },
        ],
      }),
      {
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'file',
                file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' },
              },
            ],
          },
        ],
      },
    ],
    [
      'tools become function tools, and strict survives',
      request({
        tools: [
          {
            name: 'get_weather',
            description: 'Weather',
            input_schema: WEATHER_SCHEMA,
            strict: true,
          },
          {
            name: 'get_time',
            input_schema: { type: 'object' },
            cache_control: { type: 'ephemeral' },
          },
        ],
      }),
      {
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather',
              parameters: WEATHER_SCHEMA,
              strict: true,
            },
          },
          { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
        ],
      },
    ],
    [
      'parallel tool_use blocks become tool calls, tool_result blocks tool messages before the rest',
      request({
        messages: [
          { role: 'user', content: 'Weather and time?' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hm', signature: 's' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_a', content: '18°C' },
              {
                type: 'tool_result',
                tool_use_id: 'toolu_b',
                content: [{ type: 'text', text: '12:00' }],
                is_error: true,
              },
              { type: 'text', text: 'Thanks' },
            ],
          },
        ],
      }),
      {
        messages: [
          { role: 'user', content: 'Weather and time?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              {
                id: 'toolu_a',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'toolu_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_a', content: '18°C' },
          { role: 'tool', tool_call_id: 'toolu_b', content: 'Error: 12:00' },
          { role: 'user', content: 'Thanks' },
        ],
      },
    ],
    [
      'tool_choice any becomes required, and disabling parallel use says so',
      request({
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
      }),
      { tool_choice: 'required', parallel_tool_calls: false },
    ],
    [
      'a named tool choice becomes a function choice',
      request({
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'f' },
      }),
      { tool_choice: { type: 'function', function: { name: 'f' } } },
    ],
    [
      'structured output becomes a strict json_schema response format',
      request({ output_config: { format: { type: 'json_schema', schema: WEATHER_SCHEMA } } }),
      {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'response', schema: WEATHER_SCHEMA, strict: true },
        },
      },
    ],
    ['stop sequences become stop', request({ stop_sequences: ['END'] }), { stop: ['END'] }],
    ['max_tokens becomes max_completion_tokens', request({}), { max_completion_tokens: 100 }],
    [
      'a thinking budget becomes the closest effort',
      request({ thinking: { type: 'enabled', budget_tokens: 10000 } }),
      { reasoning_effort: 'medium' },
    ],
    [
      'an explicit effort wins',
      request({ output_config: { effort: 'high' } }),
      { reasoning_effort: 'high' },
    ],
    [
      'sampling, user and stream carry over, and the stream asks for usage',
      request({ temperature: 0.5, top_p: 0.8, metadata: { user_id: 'u-1' }, stream: true }),
      {
        temperature: 0.5,
        top_p: 0.8,
        user: 'u-1',
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
  ])('%s', (_name, input, expected) => {
    const { body } = anthropicToOpenAiChat(input);

    expect(body).toMatchObject(expected);
  });

  it('puts max_tokens where the option says', () => {
    const { body } = anthropicToOpenAiChat(request({}), { maxTokensField: 'max_tokens' });

    expect(body).toMatchObject({ max_tokens: 100 });
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('ignores the cache_control and service_tier hints', () => {
    const { body } = anthropicToOpenAiChat(
      request({ cache_control: { type: 'ephemeral' }, service_tier: 'auto' }),
    );

    expect(Object.keys(body).sort()).toEqual(['max_completion_tokens', 'messages', 'model']);
  });

  it('asks for standard capacity when the caller said standard_only', () => {
    const { body } = anthropicToOpenAiChat(request({ service_tier: 'standard_only' }));

    expect(body).toMatchObject({ service_tier: 'default' });
  });

  it('refuses an assistant prefill, which OpenAI would answer rather than continue', () => {
    const prefill = request({
      messages: [
        { role: 'user', content: 'Give JSON' },
        { role: 'assistant', content: '{' },
      ],
    });

    expect(() => anthropicToOpenAiChat(prefill)).toThrow(
      expect.objectContaining({ field: 'messages.1', message: expect.stringMatching(/prefill/) }),
    );
  });

  it('refuses documents with citations enabled, naming the field', () => {
    const cited = request({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'The sky is blue.' },
              citations: { enabled: true },
            },
          ],
        },
      ],
    });

    expect(() => anthropicToOpenAiChat(cited)).toThrow(
      expect.objectContaining({ field: 'messages.0.content.0.citations' }),
    );
    expect(() => anthropicToOpenAiChat(cited)).toThrow(/for an OpenAI-compatible provider/);
  });

  it.each([
    ['top_k', { top_k: 5 }],
    ['tools.0', { tools: [{ type: 'web_search_20250305', name: 'web_search' }] }],
    ['container', { container: 'c-1' }],
    ['mcp_servers', { mcp_servers: [] }],
    ['output_config.effort', { output_config: { effort: 'max' } }],
    [
      'messages.0.content.0.source.file_id',
      {
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] },
        ],
      },
    ],
    [
      'messages.0.content.0.source.type',
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } }],
          },
        ],
      },
    ],
    [
      'messages.0.content.0.content.0',
      {
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't',
                content: [{ type: 'image', source: { type: 'url', url: 'https://x/a.png' } }],
              },
            ],
          },
        ],
      },
    ],
    [
      'messages.0.content.0.type',
      { messages: [{ role: 'user', content: [{ type: 'server_tool_use', id: 'x' }] }] },
    ],
    ['max_tokens', { max_tokens: undefined }],
  ])('refuses %s with a TranslationException naming it', (field, fields) => {
    const act = () => anthropicToOpenAiChat(request(fields));

    expect(act).toThrow(TranslationException);
    expect(act).toThrow(expect.objectContaining({ field }));
  });
});
