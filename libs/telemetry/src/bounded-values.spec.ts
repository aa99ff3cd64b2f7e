import { BoundedValues, OTHER_VALUE } from './bounded-values';

describe(BoundedValues.name, () => {
  it('keeps the first distinct values and reports later ones as one', () => {
    const values = new BoundedValues(2);

    const labels = ['a', 'b', 'a', 'c', 'b', 'd'].map((value) => values.of(value));

    expect(labels).toEqual(['a', 'b', 'a', OTHER_VALUE, 'b', OTHER_VALUE]);
  });

  it('cuts long values', () => {
    expect(new BoundedValues(5, 4).of('abcdefgh')).toBe('abcd');
  });
});
