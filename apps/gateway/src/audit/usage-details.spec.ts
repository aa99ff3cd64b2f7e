import { readAnswerUsage, readUsage } from './usage-details';

describe('readUsage', () => {
  it('reads cached and reasoning tokens from a chat completion', () => {
    const usage = readUsage({
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1000, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 128 },
      },
    });

    expect(usage).toEqual({
      promptTokens: 1200,
      completionTokens: 300,
      totalTokens: 1500,
      cachedInputTokens: 1000,
      reasoningTokens: 128,
    });
  });

  it('reads the Responses API names', () => {
    const usage = readUsage({
      usage: {
        input_tokens: 10,
        output_tokens: 20,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens_details: { reasoning_tokens: 6 },
      },
    });

    expect(usage).toMatchObject({ cachedInputTokens: 4, reasoningTokens: 6, totalTokens: 30 });
  });

  it('leaves the details out when the provider did not report them, rather than guess 0', () => {
    const usage = readUsage({ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });

    expect(usage).toEqual({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
  });

  it('ignores a malformed detail', () => {
    const usage = readUsage({
      usage: {
        prompt_tokens: 3,
        completion_tokens: 4,
        prompt_tokens_details: { cached_tokens: -1 },
      },
    });

    expect(usage).not.toHaveProperty('cachedInputTokens');
  });

  it('returns null for a chunk without usage', () => {
    expect(readUsage({ choices: [] })).toBeNull();
  });
});

describe('readAnswerUsage', () => {
  const usage = { prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 };

  it("reads a whole answer's usage as readUsage reads the parsed answer", () => {
    const answer = { id: 'chatcmpl-1', choices: [], usage, system_fingerprint: 'fp' };

    expect(readAnswerUsage(Buffer.from(JSON.stringify(answer)))).toEqual(readUsage(answer));
  });

  it('takes the top-level usage, not one nested after it', () => {
    const answer = { usage, meta: { usage: { prompt_tokens: 1, completion_tokens: 1 } } };

    expect(readAnswerUsage(Buffer.from(JSON.stringify(answer)))).toEqual({
      promptTokens: 5,
      completionTokens: 12,
      totalTokens: 17,
    });
  });

  it('reads no usage from what is not JSON, or has none', () => {
    expect(readAnswerUsage(Buffer.from('upstream exploded'))).toBeNull();
    // Whole JSON objects at the end do not make the answer JSON.
    expect(
      readAnswerUsage(Buffer.from('x{"usage":{"prompt_tokens":1,"completion_tokens":2}}')),
    ).toBeNull();
    expect(
      readAnswerUsage(Buffer.from('{"a":NaN,"usage":{"prompt_tokens":1,"completion_tokens":2}}')),
    ).toBeNull();
    expect(readAnswerUsage(Buffer.from('{"id":"a"}'))).toBeNull();
    expect(readAnswerUsage(Buffer.from('{"id":"a","usage":{"prompt_tokens":-1}}'))).toBeNull();
  });
});
