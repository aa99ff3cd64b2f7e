import { findTopLevelValues, insertTopLevelValue, replaceTopLevelValue } from './json-body';

describe('json-body', () => {
  it('replaces only the top-level model value, leaving every other byte in place', () => {
    const text = '{ "messages":[{"model":"inner"}],\n "model" : "gpt-4",\t"x":1.0e0 }';

    const result = replaceTopLevelValue(text, 'model', '"gpt-4-turbo"');

    expect(result).toBe(
      '{ "messages":[{"model":"inner"}],\n "model" : "gpt-4-turbo",\t"x":1.0e0 }',
    );
  });

  it('skips strings holding braces, quotes and escapes', () => {
    const text = '{"a":"}\\"{[","b":{"c":["]",{"d":"\\\\"}]},"model":"m"}';

    const [span] = findTopLevelValues(text, 'model');

    expect(text.slice(span.start, span.end)).toBe('"m"');
  });

  it('matches a key written with escapes', () => {
    const text = '{"mod\\u0065l":"m"}';

    expect(replaceTopLevelValue(text, 'model', '"n"')).toBe('{"mod\\u0065l":"n"}');
  });

  it('inserts a missing property as the first member', () => {
    expect(insertTopLevelValue('{"a":1}', 'b', 'true')).toBe('{"b":true,"a":1}');
    expect(insertTopLevelValue(' { } ', 'b', 'true')).toBe(' {"b":true } ');
  });

  it('keeps the result valid JSON for values of every kind', () => {
    const text = JSON.stringify({
      n: null,
      t: true,
      num: -1.5,
      arr: [1, [2]],
      obj: { o: {} },
      model: 'x',
    });

    const parsed = JSON.parse(replaceTopLevelValue(text, 'model', '"y"')) as Record<
      string,
      unknown
    >;

    expect(parsed).toEqual({
      n: null,
      t: true,
      num: -1.5,
      arr: [1, [2]],
      obj: { o: {} },
      model: 'y',
    });
  });

  it('replaces every occurrence of a repeated key, so the provider reads the checked value', () => {
    const text = '{"model":"a","x":1,"model":"b"}';

    expect(replaceTopLevelValue(text, 'model', '"c"')).toBe('{"model":"c","x":1,"model":"c"}');
  });
});
