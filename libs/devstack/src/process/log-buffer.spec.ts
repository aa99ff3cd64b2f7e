import { LogBuffer } from './log-buffer';

describe(LogBuffer.name, () => {
  it('keeps every line, in order, while under capacity', () => {
    const buffer = new LogBuffer(3);

    buffer.push('a');
    buffer.push('b');

    expect(buffer.lines()).toEqual(['a', 'b']);
  });

  it('drops the oldest lines once full', () => {
    const buffer = new LogBuffer(3);

    for (const line of ['a', 'b', 'c', 'd', 'e']) buffer.push(line);

    expect(buffer.lines()).toEqual(['c', 'd', 'e']);
  });

  it('returns the newest lines as the tail', () => {
    const buffer = new LogBuffer(4);

    for (const line of ['a', 'b', 'c', 'd', 'e', 'f']) buffer.push(line);

    expect(buffer.tail(2)).toEqual(['e', 'f']);
  });
});
