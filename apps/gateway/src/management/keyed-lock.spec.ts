import { KeyedLock } from './keyed-lock';

describe(KeyedLock.name, () => {
  it('runs tasks of one key one after another, in order, even when one fails', async () => {
    const lock = new KeyedLock();
    const steps: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        steps.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        steps.push(`${name} end`);
        if (fail) throw new Error(name);
      };

    await Promise.allSettled([lock.run('k', task('a', true)), lock.run('k', task('b'))]);

    expect(steps).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('lets tasks of different keys overlap', async () => {
    const lock = new KeyedLock();
    const steps: string[] = [];
    const task = (name: string) => async () => {
      steps.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      steps.push(`${name} end`);
    };

    await Promise.all([lock.run('a', task('a')), lock.run('b', task('b'))]);

    expect(steps.slice(0, 2)).toEqual(['a start', 'b start']);
  });
});
