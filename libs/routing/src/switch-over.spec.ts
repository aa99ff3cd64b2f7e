import { MapperErrorCode } from './mapper-syntax.exception';
import { SwitchOver } from './switch-over';

describe(SwitchOver.name, () => {
  it('follows the rules from level to level', () => {
    const switchOver = SwitchOver.parse('1=2, 2=3 ,5=1');

    const chains = [1, 2, 3, 5, 7].map((level) => switchOver.chain(level));

    expect(chains).toEqual([[1, 2, 3], [2, 3], [3], [5, 1, 2, 3], [7]]);
    expect(switchOver.next(2)).toBe(3);
    expect(switchOver.next(3)).toBeUndefined();
    expect(switchOver.toString()).toBe('1=2,2=3,5=1');
  });

  it('has no rules when empty', () => {
    const switchOver = SwitchOver.parse('');

    expect(switchOver.chain(1)).toEqual([1]);
    expect(switchOver.toString()).toBe('');
  });

  it.each([
    ['1=1', 1, '"1=1" closes a cycle 1 → 1'],
    ['1=2,2=1', 2, '"2=1" closes a cycle 2 → 1 → 2'],
    ['3=1,1=2,2=3', 3, '"2=3" closes a cycle 2 → 3 → 1 → 2'],
  ])('refuses the cycle in %j', (text, item, message) => {
    const parse = (): SwitchOver => SwitchOver.parse(text);

    expect(parse).toThrow(expect.objectContaining({ code: MapperErrorCode.Cycle, item }));
    expect(parse).toThrow(`SwitchOver item ${item} ${message}`);
  });

  it('refuses a level that switches over twice', () => {
    const parse = (): SwitchOver => SwitchOver.parse('1=2,1=3');

    expect(parse).toThrow(
      expect.objectContaining({ code: MapperErrorCode.DuplicateSource, item: 2 }),
    );
    expect(parse).toThrow('SwitchOver item 2 "1=3" repeats level 1 (item 1)');
  });

  it.each([
    ['x=2', 'has level "x"'],
    ['1=2*', 'has level "2*"'],
    ['0=1', 'has level "0"'],
  ])('refuses %j whose levels are not whole numbers from 1 to 1000', (text, problem) => {
    const parse = (): SwitchOver => SwitchOver.parse(text);

    expect(parse).toThrow(`SwitchOver item 1 "${text}" ${problem}`);
  });

  it('allows several levels to switch over to the same one', () => {
    const switchOver = SwitchOver.parse('1=3,2=3');

    expect([switchOver.chain(1), switchOver.chain(2)]).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });
});
