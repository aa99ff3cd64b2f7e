import { CreateProviderKeyBodySchema, UpdateProviderKeyBodySchema } from './provider-key.dto';

const body = (Config: unknown) => ({
  SecretKey: 'sk-test-0123456789',
  Name: 'primary',
  Level: 1,
  Provider: 'https://api.openai.com',
  Config,
});

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };

  return value;
};

describe('a provider key Config', () => {
  it('keeps fields of its own (passed through) within the bounds', () => {
    const parsed = CreateProviderKeyBodySchema.parse(
      body({ provider_type: 'openai', weight: 2, region: { name: 'eu', zones: [1, 2] } }),
    );

    expect(parsed.Config).toEqual({
      provider_type: 'openai',
      weight: 2,
      region: { name: 'eu', zones: [1, 2] },
    });
  });

  it.each([
    ['nested deeper than 32', { deep: nested(32) }, 'nested more than 32 deep'],
    ['larger than 16 KiB as JSON', { notes: 'x'.repeat(16_400) }, 'at most 16384 bytes as JSON'],
    ['holding a number JSON cannot', { weight: 1, limit: Infinity }, 'expected a finite number'],
    ['holding a NUL character', { note: 'a\u0000b' }, 'a NUL character or a lone UTF-16'],
    ['with a key holding a lone surrogate', { '\ud800': 1 }, 'a NUL character or a lone UTF-16'],
  ])('is refused when %s, on create and on update', (_case, Config, message) => {
    for (const schema of [CreateProviderKeyBodySchema, UpdateProviderKeyBodySchema]) {
      const result = schema.safeParse(
        schema === CreateProviderKeyBodySchema ? body(Config) : { Config },
      );

      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message).join('; ')).toContain(message);
    }
  });

  it('takes a Config nested up to 32 deep', () => {
    expect(CreateProviderKeyBodySchema.safeParse(body({ deep: nested(30) })).success).toBe(true);
  });

  it.each([
    'http://127.0.0.1:9090/\u0000',
    'http://127.0.0.1:9090/a\u0000b',
    'https://api.x.com/v1\t',
  ])(
    'refuses a Provider URL holding a control character (%j), on create and on update',
    (Provider) => {
      const created = CreateProviderKeyBodySchema.safeParse({ ...body(undefined), Provider });
      const updated = UpdateProviderKeyBodySchema.safeParse({ Provider });

      for (const result of [created, updated]) {
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((issue) => issue.message)).toContain(
          'must not hold control characters',
        );
      }
    },
  );
});
