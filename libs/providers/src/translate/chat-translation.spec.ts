import { anthropicToOpenAiChat } from './anthropic-to-openai.request';
import {
  translateChatError,
  translateChatRequest,
  translateChatResponse,
} from './chat-translation';
import { openAiChatToAnthropic } from './openai-to-anthropic.request';
import { TranslationException } from './translation.exception';

const OPENAI_REQUEST = {
  model: 'm',
  max_completion_tokens: 300,
  stop: ['END'],
  temperature: 0.4,
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is here?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
      ],
    },
    {
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'look', arguments: '{"zoom":2}' } },
        { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_a', content: 'a cat' },
    { role: 'tool', tool_call_id: 'call_b', content: 'noon' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'look',
        description: 'Look',
        parameters: { type: 'object', properties: { zoom: { type: 'number' } } },
      },
    },
    { type: 'function', function: { name: 'time', parameters: { type: 'object' } } },
  ],
  tool_choice: 'required',
};

describe(translateChatRequest.name, () => {
  it('gives back the same OpenAI request after a trip through Anthropic and back', () => {
    const anthropic = openAiChatToAnthropic(OPENAI_REQUEST).body;

    const back = anthropicToOpenAiChat(anthropic).body;

    expect(back).toEqual(OPENAI_REQUEST);
  });

  it.each([
    ['openai', 'anthropic', 'max_tokens'],
    ['openai', 'gemini', 'contents'],
    ['anthropic', 'openai', 'messages'],
    ['anthropic', 'gemini', 'contents'],
  ] as const)('translates %s to %s', (from, to, field) => {
    const body =
      from === 'openai'
        ? { model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }
        : { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], stream: true };

    const translated = translateChatRequest(from, to, body);

    expect(translated).toMatchObject({ model: 'm', stream: true, context: { from, to } });
    expect(translated.body).toHaveProperty(field);
  });

  it('passes the max_tokens field option on to an OpenAI translation', () => {
    const translated = translateChatRequest(
      'anthropic',
      'openai',
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] },
      { maxTokensField: 'max_tokens' },
    );

    expect(translated.body).toMatchObject({ max_tokens: 10 });
  });

  it('refuses to translate a protocol into itself', () => {
    const act = () => translateChatRequest('openai', 'openai', {});

    expect(act).toThrow(TranslationException);
  });
});

describe(translateChatResponse.name, () => {
  it('translates an Anthropic answer for an OpenAI caller', () => {
    const { context } = translateChatRequest('openai', 'anthropic', {
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const answer = {
      id: 'msg_1',
      type: 'message',
      model: 'm',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 1 },
    };

    const body = translateChatResponse(context, answer);

    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'Hello' } }],
    });
  });

  it('translates a Gemini answer for an Anthropic caller', () => {
    const { context } = translateChatRequest('anthropic', 'gemini', {
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Hi' }],
    });

    const body = translateChatResponse(context, {
      candidates: [{ content: { parts: [{ text: 'Yo' }] }, finishReason: 'STOP' }],
    });

    expect(body).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Yo' }],
      stop_reason: 'end_turn',
    });
  });
});

describe(translateChatError.name, () => {
  it.each([
    [
      'an Anthropic error for an OpenAI caller',
      { from: 'openai', to: 'anthropic' },
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } },
      {
        error: {
          message: 'Slow down',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_error',
        },
      },
    ],
    [
      'a Gemini error for an OpenAI caller',
      { from: 'openai', to: 'gemini' },
      400,
      {
        error: {
          code: 400,
          message: 'API key not valid: AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
          status: 'INVALID_ARGUMENT',
        },
      },
      {
        error: {
          message: 'API key not valid: [redacted]',
          type: 'invalid_request_error',
          param: null,
          code: 'INVALID_ARGUMENT',
        },
      },
    ],
    [
      'an OpenAI error for an Anthropic caller',
      { from: 'anthropic', to: 'openai' },
      401,
      {
        error: {
          message: 'Incorrect API key',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
      { type: 'error', error: { type: 'authentication_error', message: 'Incorrect API key' } },
    ],
    [
      'a text error for an Anthropic caller',
      { from: 'anthropic', to: 'gemini' },
      503,
      'upstream connect error',
      { type: 'error', error: { type: 'api_error', message: 'upstream connect error' } },
    ],
    [
      'an overloaded provider for an Anthropic caller',
      { from: 'anthropic', to: 'openai' },
      529,
      {},
      { type: 'error', error: { type: 'overloaded_error', message: 'The provider answered 529.' } },
    ],
  ] as const)('translates %s', (_name, context, status, body, expected) => {
    expect(translateChatError(context, status, body)).toEqual(expected);
  });
});
