import { MapperErrorCode, MapperSyntaxException } from './mapper-syntax.exception';
import { ModelMapper } from './model-mapper';

describe(ModelMapper.name, () => {
  it('renames a model to the rule value, whole', () => {
    const mapper = ModelMapper.parse('gpt-4*=gpt-4-turbo');

    const matches = ['gpt-4o', 'gpt-4o-mini', 'gpt-4'].map((model) => mapper.resolve(model));

    expect(matches).toEqual([
      { model: 'gpt-4-turbo', rule: 'gpt-4*=gpt-4-turbo' },
      { model: 'gpt-4-turbo', rule: 'gpt-4*=gpt-4-turbo' },
      { model: 'gpt-4-turbo', rule: 'gpt-4*=gpt-4-turbo' },
    ]);
  });

  it('lets a specific name escape a wildcard that would swallow it', () => {
    const mapper = ModelMapper.parse('gpt-4*=gpt-4-turbo,gpt-4o-mini=gpt-4o-mini-2024-07-18');

    const match = mapper.resolve('gpt-4o-mini');

    expect(match).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      rule: 'gpt-4o-mini=gpt-4o-mini-2024-07-18',
    });
  });

  it('passes unmatched names unchanged', () => {
    const mapper = ModelMapper.parse('gpt-4=gpt-4-turbo');

    const match = mapper.resolve('gpt-4o');

    expect(match).toBeUndefined();
  });

  it.each(['gpt-4=gpt-*', 'gpt-4=gpt-4?'])('refuses a wildcard in the value of %j', (text) => {
    const parse = (): ModelMapper => ModelMapper.parse(text);

    expect(parse).toThrow(
      expect.objectContaining({
        code: MapperErrorCode.WildcardInValue,
        mapper: 'ModelMapper',
        item: 1,
        text,
      }),
    );
    expect(parse).toThrow(MapperSyntaxException);
  });

  it('writes its rules in canonical form', () => {
    const mapper = ModelMapper.parse(' gpt-4 = gpt-4-turbo , claude* =claude-3-5-sonnet');

    const text = mapper.toString();

    expect(text).toBe('gpt-4=gpt-4-turbo,claude*=claude-3-5-sonnet');
  });

  it('lists its exact patterns in written order', () => {
    const mapper = ModelMapper.parse('gpt-4=a,claude*=b,o1=c,gpt-?=e');

    const names = mapper.exactPatterns();

    expect(names).toEqual(['gpt-4', 'o1']);
  });
});
