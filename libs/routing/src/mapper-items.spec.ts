import { DomainException } from '@xai/common';

import { LevelMapper } from './level-mapper';
import { MapperErrorCode, MapperSyntaxException } from './mapper-syntax.exception';
import { ModelMapper } from './model-mapper';
import { SwitchOver } from './switch-over';

const parsers = {
  LevelMapper: (text: string) => LevelMapper.parse(text),
  ModelMapper: (text: string) => ModelMapper.parse(text),
  SwitchOver: (text: string) => SwitchOver.parse(text),
};

function parseError(run: () => unknown): MapperSyntaxException {
  try {
    run();
  } catch (error) {
    if (error instanceof MapperSyntaxException) return error;
    throw error;
  }
  throw new Error('expected a MapperSyntaxException');
}

describe(MapperSyntaxException.name, () => {
  it.each([
    [
      'LevelMapper',
      'a=1,gpt-4*',
      MapperErrorCode.MissingEquals,
      2,
      'LevelMapper item 2 "gpt-4*" has no "="',
    ],
    ['LevelMapper', 'a=1,,b=2', MapperErrorCode.EmptyItem, 2, 'LevelMapper item 2 is empty'],
    ['LevelMapper', 'a=1,', MapperErrorCode.EmptyItem, 2, 'LevelMapper item 2 is empty'],
    [
      'LevelMapper',
      'a=1=2',
      MapperErrorCode.ExtraEquals,
      1,
      'LevelMapper item 1 "a=1=2" has more than one "="',
    ],
    [
      'LevelMapper',
      ' =1',
      MapperErrorCode.EmptyPattern,
      1,
      'LevelMapper item 1 "=1" has nothing before "="',
    ],
    [
      'LevelMapper',
      'a=1, b = ',
      MapperErrorCode.EmptyValue,
      2,
      'LevelMapper item 2 "b =" has nothing after "="',
    ],
    [
      'LevelMapper',
      'gpt 4=1',
      MapperErrorCode.InvalidCharacter,
      1,
      'LevelMapper item 1 "gpt 4=1" contains a space or control character',
    ],
    [
      'ModelMapper',
      'a=b,c=d\u0000',
      MapperErrorCode.InvalidCharacter,
      2,
      'ModelMapper item 2 "c=d\\u0000" contains a space',
    ],
    [
      'ModelMapper',
      'gpt-4',
      MapperErrorCode.MissingEquals,
      1,
      'ModelMapper item 1 "gpt-4" has no "="',
    ],
    [
      'ModelMapper',
      'gpt-4=gpt 4',
      MapperErrorCode.InvalidCharacter,
      1,
      'ModelMapper item 1 "gpt-4=gpt 4" contains a space',
    ],
    [
      'ModelMapper',
      'gpt-4=a,gpt-\u200b4=b',
      MapperErrorCode.InvalidCharacter,
      2,
      'ModelMapper item 2 "gpt-\u200b4=b" contains an invisible character (U+200B)',
    ],
    [
      'LevelMapper',
      'gpt-4\u2060*=1',
      MapperErrorCode.InvalidCharacter,
      1,
      'contains an invisible character (U+2060)',
    ],
    [
      'ModelMapper',
      'gpt-4=gpt-4\u200d',
      MapperErrorCode.InvalidCharacter,
      1,
      'contains an invisible character (U+200D)',
    ],
    [
      'ModelMapper',
      'x-\ud83d=gpt-4',
      MapperErrorCode.InvalidCharacter,
      1,
      'contains a lone surrogate (not valid Unicode)',
    ],
    [
      'LevelMapper',
      'gpt-4*=1,claude*=2,gpt-4*=3',
      MapperErrorCode.DuplicatePattern,
      3,
      'LevelMapper item 3 "gpt-4*=3" repeats the pattern of item 1, so it could never match',
    ],
    [
      'ModelMapper',
      'gpt-4=a, gpt-4 = b',
      MapperErrorCode.DuplicatePattern,
      2,
      'ModelMapper item 2 "gpt-4 = b" repeats the pattern of item 1',
    ],
    ['SwitchOver', '1=2,3', MapperErrorCode.MissingEquals, 2, 'SwitchOver item 2 "3" has no "="'],
    ['SwitchOver', '1=2,,', MapperErrorCode.EmptyItem, 2, 'SwitchOver item 2 is empty'],
  ] as const)('%s refuses %j naming the item', (mapper, text, code, item, message) => {
    const error = parseError(() => parsers[mapper](text));

    expect(error).toMatchObject({ code, mapper, item });
    expect(error.message).toContain(message);
  });

  it('refuses an overlong side and quotes only the start of the item', () => {
    const pattern = `${'x'.repeat(201)}*`;

    const error = parseError(() => LevelMapper.parse(`a=1,${pattern}=1`));

    expect(error).toMatchObject({ code: MapperErrorCode.TooLong, item: 2, text: `${pattern}=1` });
    expect(error.message).toBe(
      `LevelMapper item 2 "${'x'.repeat(60)}…" has a side longer than 200 characters`,
    );
  });

  it('reads back stored rules without the checks added since they were saved', () => {
    const older = 'gpt-4*=1,gpt-4*=2,gpt-\u200b4=3';

    const stored = LevelMapper.parse(older, { stored: true });

    expect(stored.resolve('gpt-4o')).toEqual({ level: 1, rule: 'gpt-4*=1' });
    expect(() => LevelMapper.parse(older)).toThrow(MapperSyntaxException);
    expect(() => ModelMapper.parse('a b=c', { stored: true })).toThrow(MapperSyntaxException);
  });

  it('is a DomainException carrying the code', () => {
    const error = parseError(() => LevelMapper.parse('x'));

    expect(error).toBeInstanceOf(DomainException);
    expect(error.name).toBe('MapperSyntaxException');
    expect(error.code).toBe(MapperErrorCode.MissingEquals);
  });
});
