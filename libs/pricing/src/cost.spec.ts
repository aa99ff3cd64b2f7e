import { costOf, findPrice, priceUsage } from './cost';
import { PRICE_TABLE } from './price-table';

const usage = (input: number, cached: number, output: number, reasoning: number) => ({
  inputTokens: input,
  cachedInputTokens: cached,
  outputTokens: output,
  reasoningTokens: reasoning,
});

describe('costOf', () => {
  it('prices uncached input, cached input and output at their own rates', () => {
    const price = { model: 'm', input: '2.50', cachedInput: '1.25', output: '10.00' };

    const cost = costOf(usage(1_000, 400, 200, 50), price);

    // 600 × 2.50 + 400 × 1.25 + 200 × 10.00, per million tokens.
    expect(cost).toBe('0.004000000000');
  });

  it('falls back to the input and output prices when no cached or reasoning price is listed', () => {
    const price = { model: 'm', input: '0.15', output: '0.60' };

    const cost = costOf(usage(10, 4, 7, 3), price);

    expect(cost).toBe('0.000005700000');
  });

  it('prices reasoning tokens apart when the model lists a reasoning price', () => {
    const price = { model: 'm', input: '1', output: '2', reasoning: '3' };

    const cost = costOf(usage(0, 0, 1_000_000, 250_000), price);

    expect(cost).toBe('2.250000000000');
  });

  it('uses the long-context tier above its input size', () => {
    const pro = findPrice('gemini-2.5-pro')?.price;

    const short = costOf(usage(200_000, 0, 0, 0), pro!);
    const long = costOf(usage(200_001, 0, 0, 0), pro!);

    expect(short).toBe('0.250000000000');
    expect(long).toBe('0.500002500000');
  });

  it('caps a cached count above the input count at the input count', () => {
    const price = { model: 'm', input: '1', cachedInput: '0.5', output: '1' };

    const cost = costOf(usage(10, 50, 0, 0), price);

    expect(cost).toBe('0.000005000000');
  });

  it('is exact where binary floating point is not (0.1 + 0.2)', () => {
    const price = { model: 'm', input: '0.1', output: '0.2' };

    const cost = costOf(usage(1_000_000, 0, 1_000_000, 0), price);

    expect(cost).toBe('0.300000000000');
  });
});

describe('findPrice', () => {
  it('finds a dated snapshot under its family name', () => {
    const match = findPrice('gpt-4o-2024-08-06');

    expect(match).toMatchObject({ price: { model: 'gpt-4o' }, source: 'table:2025-08-15' });
  });

  it('prefers a snapshot priced on its own over its family', () => {
    const match = findPrice('gpt-4o-2024-05-13');

    expect(match?.price.input).toBe('5.00');
  });

  it('does not confuse gpt-4o-mini with gpt-4o', () => {
    const match = findPrice('gpt-4o-mini-2024-07-18');

    expect(match?.price.model).toBe('gpt-4o-mini');
  });

  it('prefers the tenant override to the table', () => {
    const override = { model: 'gpt-4o', input: '1', output: '1' };

    const match = findPrice('gpt-4o', [override]);

    expect(match).toEqual({ price: override, source: 'override' });
  });

  it('knows nothing of an unknown model', () => {
    const priced = priceUsage('my-local-llama', usage(10, 0, 10, 0));

    expect(priced).toEqual({ costUsd: null, source: null });
  });
});

describe('PRICE_TABLE', () => {
  it('names a source and a date for every provider it prices', () => {
    const providers = new Set(PRICE_TABLE.models.map((price) => price.provider));

    const sourced = new Set(PRICE_TABLE.sources.map((source) => source.provider));

    expect([...providers].every((provider) => sourced.has(provider ?? ''))).toBe(true);
    expect(PRICE_TABLE.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('lists each model once', () => {
    const names = PRICE_TABLE.models.map((price) => price.model);

    expect(new Set(names).size).toBe(names.length);
  });
});
