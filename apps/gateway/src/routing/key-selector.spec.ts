import { KeySelector, WeightedKey } from './key-selector';

const key = (id: string, weight = 1): WeightedKey => ({ id, weight });

describe(KeySelector.name, () => {
  it('rotates equal keys round-robin, each call walking the whole pool once', () => {
    const selector = new KeySelector();
    const keys = [key('a'), key('b'), key('c')];

    const orders = [1, 2, 3, 4].map(() =>
      selector
        .order(keys)
        .map((k) => k.id)
        .join(''),
    );

    expect(orders).toEqual(['abc', 'bca', 'cab', 'abc']);
  });

  it('gives first picks in proportion to the weights, smoothly', () => {
    const selector = new KeySelector();
    const keys = [key('a', 3), key('b', 1)];

    const firsts = Array.from({ length: 8 }, () => selector.order(keys)[0].id).join('');

    expect(firsts).toBe('aaba' + 'aaba');
  });

  it('tries standby keys (weight 0) only after the others', () => {
    const selector = new KeySelector();
    const keys = [key('standby', 0), key('a'), key('b')];

    const orders = [1, 2].map(() => selector.order(keys).map((k) => k.id));

    expect(orders).toEqual([
      ['a', 'b', 'standby'],
      ['b', 'a', 'standby'],
    ]);
  });

  it('leaves the rotation where it is when asked not to commit', () => {
    const selector = new KeySelector();
    const keys = [key('a'), key('b')];

    const peeked = [1, 2].map(() => selector.order(keys, false)[0].id);
    const used = selector.order(keys)[0].id;

    expect(peeked).toEqual(['a', 'a']);
    expect(used).toBe('a');
  });
});
