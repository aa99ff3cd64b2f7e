import { AnthropicStreamUsage, extractAnthropicUsage, extractGeminiUsage } from './provider-usage';

describe(extractAnthropicUsage.name, () => {
  it('reads a message, counting cache reads and writes as prompt tokens', () => {
    const body = {
      type: 'message',
      usage: {
        input_tokens: 10,
        output_tokens: 4,
        cache_read_input_tokens: 20,
        cache_creation_input_tokens: 3,
      },
    };

    expect(extractAnthropicUsage(body)).toEqual({
      promptTokens: 33,
      completionTokens: 4,
      totalTokens: 37,
      cachedInputTokens: 20,
    });
  });

  it.each([[null], [{}], [{ usage: { output_tokens: 1 } }], [{ usage: { input_tokens: -1 } }]])(
    'returns null for %j',
    (body) => {
      expect(extractAnthropicUsage(body)).toBeNull();
    },
  );
});

describe(extractGeminiUsage.name, () => {
  it('reads usage metadata, counting thinking as completion', () => {
    const body = {
      candidates: [],
      usageMetadata: {
        promptTokenCount: 7,
        candidatesTokenCount: 3,
        thoughtsTokenCount: 5,
        totalTokenCount: 15,
      },
    };

    expect(extractGeminiUsage(body)).toEqual({
      promptTokens: 7,
      completionTokens: 8,
      totalTokens: 15,
      reasoningTokens: 5,
    });
  });

  it('returns null without usage metadata', () => {
    expect(extractGeminiUsage({ candidates: [] })).toBeNull();
  });
});

describe(AnthropicStreamUsage.name, () => {
  const event = (type: string, data: Record<string, unknown>) => ({
    event: type,
    data: JSON.stringify({ type, ...data }),
  });

  it('combines message_start and the cumulative message_delta totals', () => {
    const tracker = new AnthropicStreamUsage();

    tracker.observe(
      event('message_start', {
        message: {
          id: 'm',
          model: 'x',
          content: [],
          usage: { input_tokens: 12, output_tokens: 1 },
        },
      }),
    );
    tracker.observe(
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hi' } }),
    );
    tracker.observe(
      event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
    );
    tracker.observe({ event: 'message_delta', data: 'not json' });

    expect(tracker.usage).toEqual({ promptTokens: 12, completionTokens: 9, totalTokens: 21 });
  });

  it('has no usage before message_start', () => {
    expect(new AnthropicStreamUsage().usage).toBeNull();
  });
});
