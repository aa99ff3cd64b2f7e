import { MODEL_REFUSAL_MS, ModelRefusals } from './model-refusals';
import { RoutableKey } from './tenant-routing';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function key(id: string, revision = 'r1'): RoutableKey {
  return { id, revision } as RoutableKey;
}

describe(ModelRefusals.name, () => {
  it('skips a key only for the model its provider refused, for a while', () => {
    const refusals = new ModelRefusals();

    refusals.remember(key('a'), 'gpt-4o', NOW);

    expect(refusals.refuses(key('a'), 'gpt-4o', NOW + 1_000)).toBe(true);
    expect(refusals.refuses(key('a'), 'gpt-4o-mini', NOW + 1_000)).toBe(false);
    expect(refusals.refuses(key('b'), 'gpt-4o', NOW + 1_000)).toBe(false);
    expect(refusals.refuses(key('a'), 'gpt-4o', NOW + MODEL_REFUSAL_MS)).toBe(false);
  });

  it('forgets the refusal once the owner changes the key', () => {
    const refusals = new ModelRefusals();

    refusals.remember(key('a', 'r1'), 'gpt-4o', NOW);

    expect(refusals.refuses(key('a', 'r2'), 'gpt-4o', NOW)).toBe(false);
  });
});
