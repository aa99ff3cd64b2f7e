import { LevelMapper } from './level-mapper';
import { ModelMapper } from './model-mapper';

/** A small seeded PRNG (mulberry32), so a failure replays exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20_241_204;
const ROUNDS = 400;
const NAMES_PER_ROUND = 25;
const ALPHABET = ['g', 'p', 't', '-', '4', 'o', '.'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomName(random: () => number): string {
  const length = Math.floor(random() * 7);

  return Array.from({ length }, () => pick(random, ALPHABET)).join('');
}

function randomPattern(random: () => number): string {
  const length = 1 + Math.floor(random() * 6);
  const characters = [...ALPHABET, '*', '*', '?'];

  return Array.from({ length }, () => pick(random, characters)).join('');
}

/** An independent matcher: the pattern as an escaped, anchored regular expression. */
function referenceMatches(pattern: string, name: string): boolean {
  const body = Array.from(pattern)
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');

  return new RegExp(`^${body}$`, 'su').test(name);
}

/** The rule DESIGN.md's precedence picks, computed the slow, obvious way. */
function referenceWinner(patterns: readonly string[], name: string): number | undefined {
  const literals = (p: string): number => p.replace(/[*?]/g, '').length;
  const isExact = (p: string): boolean => literals(p) === p.length;
  const matching = patterns
    .map((pattern, index) => ({ pattern, index }))
    .filter(({ pattern }) => referenceMatches(pattern, name));
  const exact = matching.find(({ pattern }) => isExact(pattern));
  if (exact) return exact.index;
  const best = Math.max(...matching.map(({ pattern }) => literals(pattern)));

  return matching.find(({ pattern }) => literals(pattern) === best)?.index;
}

function distinct(patterns: string[]): string[] {
  return [...new Set(patterns)];
}

describe('mapper properties', () => {
  it(`ModelMapper only ever returns a rule's value, chosen by precedence (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      // Each pattern once: a repeated pattern is refused at parse time.
      const patterns = distinct(
        Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomPattern(random)),
      );
      const rules = patterns.map((pattern, i) => `${pattern}=model-${round}-${i}`);
      const mapper = ModelMapper.parse(rules.join(','));
      for (let n = 0; n < NAMES_PER_ROUND; n++) {
        const name = randomName(random);

        const match = mapper.resolve(name);

        const winner = referenceWinner(patterns, name);
        const expected =
          winner === undefined
            ? undefined
            : { model: `model-${round}-${winner}`, rule: rules[winner] };
        expect({ rules, name, match }).toEqual({ rules, name, match: expected });
        if (match) expect(rules.map((rule) => rule.split('=')[1])).toContain(match.model);
      }
    }
  });

  it(`LevelMapper only ever returns a level of a matching rule (seed ${SEED + 1})`, () => {
    const random = seededRandom(SEED + 1);
    for (let round = 0; round < ROUNDS; round++) {
      // Each pattern once: a repeated pattern is refused at parse time.
      const patterns = distinct(
        Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomPattern(random)),
      );
      const levels = patterns.map(() => 1 + Math.floor(random() * 1000));
      const rules = patterns.map((pattern, i) => `${pattern}=${levels[i]}`);
      const mapper = LevelMapper.parse(rules.join(','));
      for (let n = 0; n < NAMES_PER_ROUND; n++) {
        const name = randomName(random);

        const match = mapper.resolve(name);

        const winner = referenceWinner(patterns, name);
        const expected =
          winner === undefined ? undefined : { level: levels[winner], rule: rules[winner] };
        expect({ rules, name, match }).toEqual({ rules, name, match: expected });
        if (match) expect(levels).toContain(match.level);
      }
    }
  });
});
