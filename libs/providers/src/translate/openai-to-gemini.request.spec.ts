import { openAiChatToGemini } from './openai-to-gemini.request';
import { TranslationException } from './translation.exception';

const WEATHER_PARAMS = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};
const WEATHER_TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather', parameters: WEATHER_PARAMS },
};
const TIME_TOOL = { type: 'function', function: { name: 'get_time' } };
const user = (content: unknown) => ({ role: 'user', content });
const request = (fields: Record<string, unknown>) => ({
  model: 'gemini-x',
  messages: [user('Hi')],
  ...fields,
});

describe(openAiChatToGemini.name, () => {
  it.each([
    [
      'system and developer messages become the system instruction',
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Use French.' },
          user('Hi'),
        ],
      }),
      {
        systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      },
    ],
    [
      'system text parts stay separate parts, not glued together',
      request({
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'Be brief.' },
              { type: 'text', text: 'Use French.' },
            ],
          },
          user('Hi'),
        ],
      }),
      {
        systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
      },
    ],
    [
      'assistant turns get role model in a multi-turn conversation',
      request({ messages: [user('Hi'), { role: 'assistant', content: 'Hello!' }, user('More')] }),
      {
        contents: [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello!' }] },
          { role: 'user', parts: [{ text: 'More' }] },
        ],
      },
    ],
    [
      'data: URL images become inlineData, https URLs fileData, audio inlineData',
      request({
        messages: [
          user([
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.webp?id=3' } },
            { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
          ]),
        ],
      }),
      {
        contents: [
          {
            role: 'user',
            parts: [
              { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
              { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
              { fileData: { fileUri: 'https://example.com/a.webp?id=3', mimeType: 'image/webp' } },
              { inlineData: { mimeType: 'audio/wav', data: 'UklG' } },
            ],
          },
        ],
      },
    ],
    [
      'tools become function declarations with a JSON schema',
      request({ tools: [WEATHER_TOOL, TIME_TOOL] }),
      {
        tools: [
          {
            functionDeclarations: [
              { name: 'get_weather', description: 'Weather', parametersJsonSchema: WEATHER_PARAMS },
              { name: 'get_time' },
            ],
          },
        ],
      },
    ],
    [
      'parallel tool calls become functionCall parts, tool messages functionResponse parts',
      request({
        tools: [WEATHER_TOOL, TIME_TOOL],
        messages: [
          user('Weather and time?'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1__sig_c2ln-_w',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1__sig_c2ln-_w', content: '{"temp":18}' },
          { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
        ],
      }),
      {
        contents: [
          { role: 'user', parts: [{ text: 'Weather and time?' }] },
          {
            role: 'model',
            parts: [
              {
                functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                thoughtSignature: 'c2ln+/w=',
              },
              { functionCall: { name: 'get_time', args: {} } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { temp: 18 } } },
              { functionResponse: { name: 'get_time', response: { result: '12:00' } } },
            ],
          },
        ],
      },
    ],
    [
      'tool_choice required becomes ANY',
      request({ tools: [WEATHER_TOOL], tool_choice: 'required' }),
      { toolConfig: { functionCallingConfig: { mode: 'ANY' } } },
    ],
    [
      'tool_choice none becomes NONE',
      request({ tools: [WEATHER_TOOL], tool_choice: 'none' }),
      { toolConfig: { functionCallingConfig: { mode: 'NONE' } } },
    ],
    [
      'a named tool choice becomes ANY limited to it',
      request({
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
      {
        toolConfig: {
          functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
        },
      },
    ],
    [
      'json_schema output becomes a JSON MIME type and schema',
      request({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'w', schema: WEATHER_PARAMS, strict: true },
        },
      }),
      {
        generationConfig: {
          responseMimeType: 'application/json',
          responseJsonSchema: WEATHER_PARAMS,
        },
      },
    ],
    [
      'JSON mode becomes a JSON MIME type',
      request({ response_format: { type: 'json_object' } }),
      { generationConfig: { responseMimeType: 'application/json' } },
    ],
    [
      'stop sequences become stopSequences',
      request({ stop: ['END', '##'] }),
      { generationConfig: { stopSequences: ['END', '##'] } },
    ],
    [
      'max_completion_tokens becomes maxOutputTokens',
      request({ max_completion_tokens: 64 }),
      { generationConfig: { maxOutputTokens: 64 } },
    ],
    [
      'max_tokens becomes maxOutputTokens',
      request({ max_tokens: 32 }),
      { generationConfig: { maxOutputTokens: 32 } },
    ],
    [
      'sampling settings carry over under Gemini names',
      request({
        temperature: 1.5,
        top_p: 0.9,
        top_k: 40,
        n: 2,
        presence_penalty: 0.1,
        frequency_penalty: 0.2,
        seed: 7,
      }),
      {
        generationConfig: {
          temperature: 1.5,
          topP: 0.9,
          topK: 40,
          candidateCount: 2,
          presencePenalty: 0.1,
          frequencyPenalty: 0.2,
          seed: 7,
        },
      },
    ],
    [
      'reasoning_effort becomes a thinking budget',
      request({ reasoning_effort: 'medium' }),
      { generationConfig: { thinkingConfig: { thinkingBudget: 8192 } } },
    ],
    [
      'reasoning_effort none turns thinking off',
      request({ reasoning_effort: 'none' }),
      { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } },
    ],
  ])('%s', (_name, input, expected) => {
    const { body } = openAiChatToGemini(input);

    expect(body).toMatchObject(expected);
  });

  it('returns the model and stream mode for the URL, and the usage wish', () => {
    const translation = openAiChatToGemini(
      request({ stream: true, stream_options: { include_usage: true } }),
    );

    expect(translation).toMatchObject({
      model: 'gemini-x',
      stream: true,
      context: { model: 'gemini-x', includeUsage: true },
    });
    expect(translation.body).not.toHaveProperty('model');
  });

  it('sends no generation config when the request sets nothing', () => {
    const { body } = openAiChatToGemini(request({ user: 'u-1' }));

    expect(body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it.each([
    ['parallel_tool_calls', { parallel_tool_calls: false }],
    ['logprobs', { logprobs: true }],
    ['logit_bias', { logit_bias: { '1': 1 } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['top_k', { top_k: 'many' }],
    ['tools.0', { tools: [{ type: 'custom', custom: { name: 'x' } }] }],
    [
      'messages.0.content.0.file.file_id',
      { messages: [user([{ type: 'file', file: { file_id: 'file-1' } }])] },
    ],
    [
      'messages.0.content.0.file.file_data',
      { messages: [user([{ type: 'file', file: { file_data: 'AAAA', filename: 'x.bin' } }])] },
    ],
    [
      'messages.1.tool_call_id',
      { messages: [user('x'), { role: 'tool', tool_call_id: 'nowhere', content: 'r' }] },
    ],
    [
      'messages.0.content.0.image_url.url',
      { messages: [user([{ type: 'image_url', image_url: { url: 'https://e.com/image?id=3' } }])] },
    ],
  ])('refuses %s with a TranslationException naming it', (field, fields) => {
    const act = () => openAiChatToGemini(request(fields));

    expect(act).toThrow(TranslationException);
    expect(act).toThrow(expect.objectContaining({ field }));
  });

  it("says how to give Gemini an image's type when its URL has no extension", () => {
    const image = { type: 'image_url', image_url: { url: 'https://e.com/photo' } };

    expect(() => openAiChatToGemini(request({ messages: [user([image])] }))).toThrow(
      "Gemini needs the image's type: in 'messages.0.content.0.image_url.url' use a data: URL or a URL ending in .png, .jpg, .webp or .gif.",
    );
  });
});
