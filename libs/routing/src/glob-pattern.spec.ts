import { GlobPattern } from './glob-pattern';

describe(GlobPattern.name, () => {
  it.each([
    ['gpt-4', 'gpt-4', true],
    ['gpt-4', 'gpt-4o', false],
    ['gpt-4*', 'gpt-4', true],
    ['gpt-4*', 'gpt-4o-mini', true],
    ['gpt-4*', 'gpt-3.5-turbo', false],
    ['*-mini', 'gpt-4o-mini', true],
    ['*-mini', 'gpt-4o-mini-2024', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['gpt-?', 'gpt-4', true],
    ['gpt-?', 'gpt-4o', false],
    ['gpt-?', 'gpt-', false],
    ['?', 'é', true],
    ['claude-*-sonnet*', 'claude-3-5-sonnet-20241022', true],
    ['claude-*-sonnet*', 'claude-3-opus', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['*a*a*', 'aa', true],
    ['**', 'x', true],
    ['a?*?b', 'axyb', true],
    ['a?*?b', 'axb', false],
  ])('matches %j against %j: %s', (pattern, name, expected) => {
    const glob = new GlobPattern(pattern);

    const matched = glob.matches(name);

    expect(matched).toBe(expected);
  });

  it('counts literal characters and recognises exact patterns', () => {
    const patterns = ['gpt-4o*', 'gpt-?', '*', 'gpt-4'].map((source) => new GlobPattern(source));

    const summary = patterns.map((p) => [p.literalCount, p.isExact]);

    expect(summary).toEqual([
      [6, false],
      [4, false],
      [0, false],
      [5, true],
    ]);
  });

  it('stays fast on patterns that make backtracking matchers explode', () => {
    const glob = new GlobPattern(`${'*a'.repeat(60)}*b`);
    const name = 'a'.repeat(20_000);
    const started = process.hrtime.bigint();

    const matched = glob.matches(name);

    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(matched).toBe(false);
    expect(elapsedMs).toBeLessThan(1_000);
  });
});
