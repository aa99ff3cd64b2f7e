import { LevelMapper } from './level-mapper';
import { MapperSyntaxException } from './mapper-syntax.exception';

describe(LevelMapper.name, () => {
  describe('precedence', () => {
    const mapper = LevelMapper.parse('*=9,gpt-*=5,gpt-4*=4,gpt-4o*=3,gpt-4o-mini=2,gpt-?=7');

    it.each([
      ['gpt-4o-mini', 2, 'gpt-4o-mini=2'],
      ['gpt-4o-mini-2024-07-18', 3, 'gpt-4o*=3'],
      ['gpt-4o', 3, 'gpt-4o*=3'],
      ['gpt-4-turbo', 4, 'gpt-4*=4'],
      ['gpt-4', 4, 'gpt-4*=4'],
      ['gpt-3.5-turbo', 5, 'gpt-*=5'],
      ['gpt-5', 5, 'gpt-*=5'],
      ['claude-3-opus', 9, '*=9'],
    ])('sends %s to level %i by %s', (model, level, rule) => {
      const match = mapper.resolve(model);

      expect(match).toEqual({ level, rule });
    });

    it('prefers an exact pattern over a wildcard written before it', () => {
      const exactLast = LevelMapper.parse('gpt-4*=1,gpt-4o-mini=3');

      const match = exactLast.resolve('gpt-4o-mini');

      expect(match).toEqual({ level: 3, rule: 'gpt-4o-mini=3' });
    });

    it('prefers the more specific wildcard whatever the order', () => {
      const generalFirst = LevelMapper.parse('gpt-4*=1,gpt-4o*=2');
      const specificFirst = LevelMapper.parse('gpt-4o*=2,gpt-4*=1');

      const levels = [generalFirst, specificFirst].map((m) => m.resolve('gpt-4o')?.level);

      expect(levels).toEqual([2, 2]);
    });

    it('counts ? as a wildcard, not a literal character', () => {
      const mapper = LevelMapper.parse('gpt-??=1,gpt-4*=2');

      const match = mapper.resolve('gpt-4o');

      expect(match).toEqual({ level: 2, rule: 'gpt-4*=2' });
    });

    it('gives ties to the earlier rule', () => {
      const mapper = LevelMapper.parse('gpt-4?=1,gpt-4*=2,gpt-?o=3');
      const reversed = LevelMapper.parse('gpt-?o=3,gpt-4*=2,gpt-4?=1');

      const matches = [mapper, reversed].map((rules) => rules.resolve('gpt-4o'));

      expect(matches).toEqual([
        { level: 1, rule: 'gpt-4?=1' },
        { level: 3, rule: 'gpt-?o=3' },
      ]);
    });

    it('never lets an exact pattern match a longer name it is a prefix of', () => {
      const mapper = LevelMapper.parse('gpt-4=1,gpt-4*=2');

      const matches = ['gpt-4', 'gpt-4-turbo', 'gpt-4o'].map((model) => mapper.resolve(model));

      expect(matches).toEqual([
        { level: 1, rule: 'gpt-4=1' },
        { level: 2, rule: 'gpt-4*=2' },
        { level: 2, rule: 'gpt-4*=2' },
      ]);
    });

    it('matches model names case-sensitively', () => {
      const mapper = LevelMapper.parse('gpt-4*=1');

      const match = mapper.resolve('GPT-4');

      expect(match).toBeUndefined();
    });

    it('returns nothing when no rule matches', () => {
      const mapper = LevelMapper.parse('claude*=2,gpt-4*=1');

      const match = mapper.resolve('deepseek-chat');

      expect(match).toBeUndefined();
    });
  });

  describe('parse', () => {
    it('ignores spaces around items and around "="', () => {
      const mapper = LevelMapper.parse('  claude* = 2 ,\tgpt-4*=1\n, deepseek*= 3 ');

      const text = mapper.toString();

      expect(text).toBe('claude*=2,gpt-4*=1,deepseek*=3');
      expect(mapper.resolve('claude-3-opus')).toEqual({ level: 2, rule: 'claude*=2' });
    });

    it.each(['', '   '])('reads %j as no rules', (text) => {
      const mapper = LevelMapper.parse(text);

      expect(mapper.rules).toHaveLength(0);
      expect(mapper.toString()).toBe('');
      expect(mapper.resolve('gpt-4')).toBeUndefined();
    });

    it('writes levels in canonical form', () => {
      const mapper = LevelMapper.parse('gpt-4*=007');

      const text = mapper.toString();

      expect(text).toBe('gpt-4*=7');
    });

    it.each([
      ['gpt-4*=0', 'LevelMapper item 1 "gpt-4*=0" has level "0"'],
      ['a=1,gpt-4*=x', 'LevelMapper item 2 "gpt-4*=x" has level "x"'],
      ['gpt-4*=-1', 'LevelMapper item 1 "gpt-4*=-1" has level "-1"'],
      ['gpt-4*=1.5', 'LevelMapper item 1 "gpt-4*=1.5" has level "1.5"'],
      ['gpt-4*=1001', 'LevelMapper item 1 "gpt-4*=1001" has level "1001"'],
    ])('refuses %j as not a level', (text, message) => {
      const parse = (): LevelMapper => LevelMapper.parse(text);

      expect(parse).toThrow(MapperSyntaxException);
      expect(parse).toThrow(message);
    });
  });
});
