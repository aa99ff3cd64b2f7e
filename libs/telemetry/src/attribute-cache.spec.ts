import { AttributeCache } from './attribute-cache';

describe(AttributeCache.name, () => {
  it('builds the object of a key once, and stops keeping new keys past its bound', () => {
    const cache = new AttributeCache<{ key: string }>(1);
    let builds = 0;
    const build = (key: string) => () => {
      builds++;

      return { key };
    };

    const first = cache.get('a', build('a'));
    const again = cache.get('a', build('a'));
    cache.get('b', build('b'));
    cache.get('b', build('b'));

    expect(again).toBe(first);
    expect(builds).toBe(3);
  });
});
