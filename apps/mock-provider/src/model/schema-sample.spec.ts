import { sampleFromSchema } from './schema-sample';

describe(sampleFromSchema.name, () => {
  it.each([
    ['a string', { type: 'string' }, expect.stringMatching(/^value-[a-z]+$/)],
    ['an integer', { type: 'integer' }, expect.any(Number)],
    ['a boolean', { type: 'boolean' }, expect.any(Boolean)],
    ['an enum value', { type: 'string', enum: ['x', 'y'] }, expect.stringMatching(/^[xy]$/)],
    ['a const', { const: 7 }, 7],
    ['an array of one item', { type: 'array', items: { type: 'integer' } }, [expect.any(Number)]],
    ['a nullable string', { type: ['null', 'string'] }, expect.any(String)],
    [
      'Gemini-style upper-case types',
      { type: 'OBJECT', properties: { s: { type: 'STRING' } } },
      { s: expect.any(String) },
    ],
    [
      'the first branch of anyOf',
      { anyOf: [{ type: 'boolean' }, { type: 'string' }] },
      expect.any(Boolean),
    ],
    [
      'every property of an object',
      { properties: { a: { type: 'string' }, b: { type: 'number' } } },
      { a: expect.any(String), b: expect.any(Number) },
    ],
  ])('gives %s', (_name, schema, expected) => {
    expect(sampleFromSchema(schema, 12345)).toEqual(expected);
  });

  it('gives the same value for the same seed', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, n: { type: 'integer' } },
    };

    expect(sampleFromSchema(schema, 99)).toEqual(sampleFromSchema(schema, 99));
  });

  it('stops descending a self-similar schema', () => {
    const deep: Record<string, unknown> = { type: 'object', properties: {} };
    let cursor = deep;
    for (let level = 0; level < 20; level++) {
      const next = { type: 'object', properties: {} };
      (cursor.properties as Record<string, unknown>).child = next;
      cursor = next;
    }

    expect(() => sampleFromSchema(deep, 1)).not.toThrow();
  });
});
