import {
  GEMINI_MAX_EMBEDDING_BATCH,
  geminiEmbeddingsToOpenAi,
  openAiEmbeddingsToGemini,
} from './embeddings-to-gemini';
import { MalformedUpstreamResponseException, TranslationException } from './translation.exception';

describe(openAiEmbeddingsToGemini.name, () => {
  it('makes each input a request of one batchEmbedContents call', () => {
    const translated = openAiEmbeddingsToGemini({
      model: 'gemini-embedding-001',
      input: ['alpha', 'beta'],
      dimensions: 256,
      user: 'end-user-1',
    });

    expect(translated.path).toBe('/models/gemini-embedding-001:batchEmbedContents');
    expect(translated.body).toEqual({
      requests: ['alpha', 'beta'].map((text) => ({
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text }] },
        outputDimensionality: 256,
      })),
    });
    expect(translated.context).toMatchObject({ inputCount: 2, base64: false });
  });

  it.each([
    ['input', { input: [[1, 2, 3]] }],
    ['input', { input: [] }],
    ['input', { input: Array.from({ length: GEMINI_MAX_EMBEDDING_BATCH + 1 }, () => 'x') }],
    ['dimensions', { input: 'x', dimensions: 0 }],
    ['encoding_format', { input: 'x', encoding_format: 'int8' }],
    ['task_type', { input: 'x', task_type: 'RETRIEVAL_QUERY' }],
  ])('refuses a bad or untranslatable %s', (field, extra) => {
    const call = () => openAiEmbeddingsToGemini({ model: 'gemini-embedding-001', ...extra });

    expect(call).toThrow(TranslationException);
    expect(call).toThrow(field);
  });
});

describe(geminiEmbeddingsToOpenAi.name, () => {
  const values = [0.5, -0.25, 0.125];

  it('answers OpenAI’s list with floats, or base64 float32 as the caller asked', () => {
    const floats = openAiEmbeddingsToGemini({ model: 'm', input: 'abcdefgh' }).context;
    const base64 = openAiEmbeddingsToGemini({
      model: 'm',
      input: 'abcdefgh',
      encoding_format: 'base64',
    }).context;

    const plain = geminiEmbeddingsToOpenAi({ embeddings: [{ values }] }, floats);
    const encoded = geminiEmbeddingsToOpenAi({ embeddings: [{ values }] }, base64) as {
      data: Array<{ embedding: string }>;
    };

    expect(plain).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: values }],
      model: 'm',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    const bytes = Buffer.from(encoded.data[0].embedding, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 3))).toEqual(values);
  });

  it('refuses an answer without one vector per input', () => {
    const context = openAiEmbeddingsToGemini({ model: 'm', input: ['a', 'b'] }).context;

    expect(() => geminiEmbeddingsToOpenAi({ embeddings: [{ values }] }, context)).toThrow(
      MalformedUpstreamResponseException,
    );
    expect(() => geminiEmbeddingsToOpenAi({ embedding: { values } }, context)).toThrow(
      MalformedUpstreamResponseException,
    );
  });
});
