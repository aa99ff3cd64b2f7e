import { BehaviourRegistry } from './behaviour-registry';

const target = { apiKey: 'key-a', model: 'gpt-4o', path: '/v1/chat/completions' };

describe(BehaviourRegistry.name, () => {
  it('returns the first matching rule', () => {
    const registry = new BehaviourRegistry();
    registry.add({ apiKey: 'key-b', status: 401 });
    const first = registry.add({ apiKey: 'key-a', status: 429 });
    registry.add({ status: 500 });

    const rule = registry.take(target);

    expect(rule?.id).toBe(first.id);
  });

  it('matches only when every selector a rule sets is equal', () => {
    const registry = new BehaviourRegistry();
    registry.add({ apiKey: 'key-a', model: 'gpt-4o-mini', status: 429 });
    registry.add({ path: '/v1/embeddings', status: 500 });

    const rule = registry.take(target);

    expect(rule).toBeNull();
  });

  it('expires a rule after it has applied `times` times', () => {
    const registry = new BehaviourRegistry();
    registry.add({ apiKey: 'key-a', status: 429, times: 2 });

    const statuses = [1, 2, 3].map(() => registry.take(target)?.status ?? null);

    expect(statuses).toEqual([429, 429, null]);
    expect(registry.list()).toEqual([]);
  });

  it('keeps a rule without `times` forever', () => {
    const registry = new BehaviourRegistry();
    registry.add({ status: 503 });

    const statuses = [1, 2, 3].map(() => registry.take(target)?.status ?? null);

    expect(statuses).toEqual([503, 503, 503]);
  });

  it('forgets every rule when cleared', () => {
    const registry = new BehaviourRegistry();
    registry.add({ status: 503 });

    registry.clear();

    expect(registry.take(target)).toBeNull();
  });
});
