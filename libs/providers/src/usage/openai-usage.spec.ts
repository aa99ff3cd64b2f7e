import { extractOpenAiUsage } from './openai-usage';

describe(extractOpenAiUsage.name, () => {
  it('reads the usage of a chat completion', () => {
    const body = {
      object: 'chat.completion',
      choices: [],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 5,
        total_tokens: 17,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    };

    const usage = extractOpenAiUsage(body);

    expect(usage).toEqual({ promptTokens: 12, completionTokens: 5, totalTokens: 17 });
  });

  it('reads the usage of an embeddings list, which has no completion tokens', () => {
    const body = { object: 'list', data: [], usage: { prompt_tokens: 8, total_tokens: 8 } };

    const usage = extractOpenAiUsage(body);

    expect(usage).toEqual({ promptTokens: 8, completionTokens: 0, totalTokens: 8 });
  });

  it('reads the final usage chunk of a stream', () => {
    const chunk = {
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
    };

    const usage = extractOpenAiUsage(chunk);

    expect(usage).toEqual({ promptTokens: 3, completionTokens: 9, totalTokens: 12 });
  });

  it('reads the input and output token names of the Responses API', () => {
    const body = { usage: { input_tokens: 4, output_tokens: 6, total_tokens: 10 } };

    const usage = extractOpenAiUsage(body);

    expect(usage).toEqual({ promptTokens: 4, completionTokens: 6, totalTokens: 10 });
  });

  it('sums the total when the provider leaves it out', () => {
    const body = { usage: { prompt_tokens: 4, completion_tokens: 6 } };

    const usage = extractOpenAiUsage(body);

    expect(usage?.totalTokens).toBe(10);
  });

  it.each([
    ['a chunk with null usage', { object: 'chat.completion.chunk', usage: null }],
    ['a chunk without usage', { object: 'chat.completion.chunk', choices: [] }],
    ['a non-object', 'usage'],
    ['null', null],
    ['negative counts', { usage: { prompt_tokens: -1, completion_tokens: 0 } }],
    ['fractional counts', { usage: { prompt_tokens: 1.5, completion_tokens: 0 } }],
    ['text counts', { usage: { prompt_tokens: '3', completion_tokens: 0 } }],
    ['no prompt count', { usage: { completion_tokens: 3 } }],
  ])('returns null for %s', (_name, body) => {
    expect(extractOpenAiUsage(body)).toBeNull();
  });
});
