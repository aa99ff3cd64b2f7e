import { anthropicCountTokensToGemini, geminiCountTokensToAnthropic } from './count-tokens';
import { MalformedUpstreamResponseException, TranslationException } from './translation.exception';

describe(anthropicCountTokensToGemini.name, () => {
  it('wraps the translated conversation, system and tools in a generateContentRequest', () => {
    const translation = anthropicCountTokensToGemini({
      model: 'gemini-x',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
    });

    expect(translation).toEqual({
      model: 'gemini-x',
      body: {
        generateContentRequest: {
          model: 'models/gemini-x',
          systemInstruction: { parts: [{ text: 'Be brief.' }] },
          contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
          tools: [
            { functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] },
          ],
        },
      },
    });
  });

  it('counts a conversation ending with an assistant prefill, which a call would refuse', () => {
    const translation = anthropicCountTokensToGemini({
      model: 'gemini-x',
      messages: [
        { role: 'user', content: 'Give JSON' },
        { role: 'assistant', content: '{' },
      ],
    });

    expect(translation.body.generateContentRequest.contents).toHaveLength(2);
  });

  it('refuses what Gemini cannot express', () => {
    const act = () =>
      anthropicCountTokensToGemini({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        mcp_servers: [],
      });

    expect(act).toThrow(TranslationException);
  });
});

describe(geminiCountTokensToAnthropic.name, () => {
  it('answers input_tokens', () => {
    expect(geminiCountTokensToAnthropic({ totalTokens: 42 })).toEqual({ input_tokens: 42 });
  });

  it('refuses an answer without totalTokens', () => {
    expect(() => geminiCountTokensToAnthropic({})).toThrow(MalformedUpstreamResponseException);
  });
});
