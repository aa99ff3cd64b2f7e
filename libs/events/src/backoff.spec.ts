import { Backoff, pause } from './backoff';

describe(Backoff.name, () => {
  it('doubles the delay up to the cap', () => {
    const backoff = new Backoff(100, 500);

    const delays = [backoff.next(), backoff.next(), backoff.next(), backoff.next()];

    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff(100, 500);
    backoff.next();
    backoff.next();

    backoff.reset();

    expect(backoff.next()).toBe(100);
  });
});

describe(pause.name, () => {
  it('resolves at once when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();

    const paused = pause(60_000, controller.signal);
    controller.abort();
    await paused;

    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
