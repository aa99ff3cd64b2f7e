import { nestsDeeperThan } from './raw-body';

describe(nestsDeeperThan.name, () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    const text = JSON.stringify({ a: [{ b: '[[[[{{{{' }], c: 'x\\"[[[' });

    expect(nestsDeeperThan(Buffer.from(text), 3)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(text), 2)).toBe(true);
  });

  it('finds a deep nest however long the body', () => {
    const deep = `{"x":${'['.repeat(200)}${']'.repeat(200)}}`;

    expect(nestsDeeperThan(Buffer.from(deep), 128)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(deep), 201)).toBe(false);
  });
});
