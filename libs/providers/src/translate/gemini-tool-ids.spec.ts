import { thoughtSignatureOf, toolCallIdForGemini } from './gemini-tool-ids';

describe(toolCallIdForGemini.name, () => {
  it.each(['c2ln', 'c2ln+/==', 'AAEC/w+/ab=', 'x'.repeat(2000)])(
    'carries signature %s through the id and back',
    (signature) => {
      const id = toolCallIdForGemini(null, signature);

      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(thoughtSignatureOf(id)?.replace(/=+$/, '')).toBe(signature.replace(/=+$/, ''));
    },
  );

  it('makes plain unique ids without a signature', () => {
    const first = toolCallIdForGemini(undefined);
    const second = toolCallIdForGemini(undefined);

    expect(first).not.toBe(second);
    expect(thoughtSignatureOf(first)).toBeUndefined();
  });

  it('builds on the id Gemini gave, made safe for Anthropic', () => {
    expect(toolCallIdForGemini('fc.1')).toBe('call_fc_1');
  });
});
