import { thoughtSignatureOf } from './gemini-tool-ids';
import { geminiResponseToOpenAiChat } from './gemini-to-openai.response';
import { MalformedUpstreamResponseException } from './translation.exception';

const context = { model: 'gemini-x', includeUsage: false };
const response = (candidates: unknown[], fields: Record<string, unknown> = {}) => ({
  candidates,
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  modelVersion: 'gemini-x-001',
  responseId: 'resp-1',
  ...fields,
});
const candidate = (parts: unknown[], finishReason = 'STOP', index = 0) => ({
  content: { role: 'model', parts },
  finishReason,
  index,
});

describe(geminiResponseToOpenAiChat.name, () => {
  it('answers with the text parts, thought summaries left out, id and model version', () => {
    const body = response([
      candidate([{ text: 'thinking…', thought: true }, { text: 'Hel' }, { text: 'lo' }]),
    ]);

    const completion = geminiResponseToOpenAiChat(body, context);

    expect(completion).toMatchObject({
      id: 'resp-1',
      object: 'chat.completion',
      model: 'gemini-x-001',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
      ],
    });
  });

  it('turns parallel function calls into tool calls finished by tool_calls, carrying the signature', () => {
    const body = response([
      candidate([
        {
          functionCall: { name: 'get_weather', args: { city: 'Paris' } },
          thoughtSignature: 'c2ln',
        },
        { functionCall: { name: 'get_time' } },
      ]),
    ]);

    const completion = geminiResponseToOpenAiChat(body, context);

    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls?.map((call) => call.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{}' },
    ]);
    const ids = choice.message.tool_calls?.map((call) => call.id) ?? [];
    expect(new Set(ids).size).toBe(2);
    expect(thoughtSignatureOf(ids[0])).toBe('c2ln');
    expect(thoughtSignatureOf(ids[1])).toBeUndefined();
  });

  it('answers one choice per candidate', () => {
    const body = response([
      candidate([{ text: 'a' }], 'STOP', 0),
      candidate([{ text: 'b' }], 'MAX_TOKENS', 1),
    ]);

    const completion = geminiResponseToOpenAiChat(body, context);

    expect(
      completion.choices.map((choice) => [
        choice.index,
        choice.message.content,
        choice.finish_reason,
      ]),
    ).toEqual([
      [0, 'a', 'stop'],
      [1, 'b', 'length'],
    ]);
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['OTHER', 'stop'],
  ])('maps finish reason %s to %s', (finishReason, expected) => {
    const completion = geminiResponseToOpenAiChat(
      response([candidate([{ text: 'x' }], finishReason)]),
      context,
    );

    expect(completion.choices[0].finish_reason).toBe(expected);
  });

  it('answers a blocked prompt with an empty choice finished by content_filter', () => {
    const body = response([], { promptFeedback: { blockReason: 'SAFETY' } });

    const completion = geminiResponseToOpenAiChat(body, context);

    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
  });

  it('counts thinking as reasoning completion tokens and cached content as cached prompt tokens', () => {
    const usageMetadata = {
      promptTokenCount: 100,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 30,
      cachedContentTokenCount: 60,
      totalTokenCount: 150,
    };

    const completion = geminiResponseToOpenAiChat(
      response([candidate([{ text: 'x' }])], { usageMetadata }),
      context,
    );

    expect(completion.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('falls back to the requested model when Gemini names no version', () => {
    const completion = geminiResponseToOpenAiChat(
      { candidates: [candidate([{ text: 'x' }])] },
      context,
    );

    expect(completion.model).toBe('gemini-x');
    expect(completion.usage.total_tokens).toBe(0);
  });

  it('refuses an answer that is not a GenerateContentResponse', () => {
    const act = () => geminiResponseToOpenAiChat({ candidates: 'nope' }, context);

    expect(act).toThrow(MalformedUpstreamResponseException);
  });
});
