import { Backoff } from './backoff';

describe(Backoff.name, () => {
  it('doubles the delay up to the maximum', () => {
    const backoff = new Backoff(100, 500);

    const delays = [1, 2, 3, 4, 5].map(() => backoff.next());

    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff(100, 1_000);
    backoff.next();
    backoff.next();

    backoff.reset();

    expect(backoff.next()).toBe(100);
  });
});
