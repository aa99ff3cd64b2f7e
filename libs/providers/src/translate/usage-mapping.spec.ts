import { extractOpenAiUsage } from '../usage/openai-usage';
import {
  anthropicMeteredUsage,
  geminiMeteredUsage,
  openAiMeteredUsage,
  openAiUsageToAnthropic,
} from './usage-mapping';

describe('usage mapping', () => {
  it.each([
    [
      'Anthropic with cache reads, writes and thinking',
      anthropicMeteredUsage({
        input_tokens: 10,
        cache_read_input_tokens: 50,
        cache_creation_input_tokens: 5,
        output_tokens: 20,
        output_tokens_details: { thinking_tokens: 8 },
      }),
      {
        promptTokens: 65,
        completionTokens: 20,
        totalTokens: 85,
        cachedInputTokens: 50,
        reasoningTokens: 8,
      },
    ],
    [
      'Anthropic without details',
      anthropicMeteredUsage({ input_tokens: 10, output_tokens: 2 }),
      { promptTokens: 10, completionTokens: 2, totalTokens: 12 },
    ],
    [
      'Gemini with cached content, thoughts and tool-use prompt',
      geminiMeteredUsage({
        promptTokenCount: 100,
        candidatesTokenCount: 10,
        cachedContentTokenCount: 40,
        thoughtsTokenCount: 30,
        toolUsePromptTokenCount: 5,
      }),
      {
        promptTokens: 105,
        completionTokens: 40,
        totalTokens: 145,
        cachedInputTokens: 40,
        reasoningTokens: 30,
      },
    ],
    [
      'Gemini without details',
      geminiMeteredUsage({ promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 }),
      { promptTokens: 3, completionTokens: 1, totalTokens: 4 },
    ],
    [
      'OpenAI with details',
      openAiMeteredUsage({
        prompt_tokens: 9,
        completion_tokens: 3,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
      {
        promptTokens: 9,
        completionTokens: 3,
        totalTokens: 12,
        cachedInputTokens: 4,
        reasoningTokens: 2,
      },
    ],
  ])('meters %s', (_name, usage, expected) => {
    expect(usage).toEqual(expected);
  });

  it('never adds absurd counts up to Infinity (JSON would write null): at most 2^53 - 1', () => {
    const huge = 1e308;
    const max = Number.MAX_SAFE_INTEGER;

    expect(
      anthropicMeteredUsage({
        input_tokens: huge,
        cache_read_input_tokens: huge,
        cache_creation_input_tokens: huge,
        output_tokens: huge,
      }),
    ).toMatchObject({ promptTokens: max, completionTokens: huge, totalTokens: max });
    expect(
      geminiMeteredUsage({
        promptTokenCount: huge,
        toolUsePromptTokenCount: huge,
        candidatesTokenCount: huge,
        thoughtsTokenCount: huge,
      }),
    ).toMatchObject({ promptTokens: max, completionTokens: max, totalTokens: max });
    expect(extractOpenAiUsage({ usage: { prompt_tokens: huge, completion_tokens: huge } })).toEqual(
      { promptTokens: huge, completionTokens: huge, totalTokens: max },
    );
  });

  it('never reports negative Anthropic input when cached tokens exceed the prompt', () => {
    const usage = openAiUsageToAnthropic({
      prompt_tokens: 3,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 5 },
    });

    expect(usage.input_tokens).toBe(0);
  });
});
