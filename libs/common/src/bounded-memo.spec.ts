import { BoundedMemo } from './bounded-memo';

describe(BoundedMemo.name, () => {
  it('builds a value once per key, and starts over when full', () => {
    const memo = new BoundedMemo<string>(2);
    let builds = 0;
    const get = (key: string): string =>
      memo.get(key, () => {
        builds += 1;

        return key.toUpperCase();
      });

    expect([get('a'), get('a'), get('b')]).toEqual(['A', 'A', 'B']);
    expect(builds).toBe(2);

    expect(get('c')).toBe('C');
    expect(get('a')).toBe('A');
    expect(builds).toBe(4);
  });
});
