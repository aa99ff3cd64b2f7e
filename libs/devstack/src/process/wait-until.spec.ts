import { waitUntil } from './wait-until';

describe('waitUntil', () => {
  it('resolves once the probe answers true', async () => {
    let calls = 0;

    await waitUntil(async () => ++calls >= 3, {
      timeoutMs: 2_000,
      intervalMs: 1,
      timeoutError: () => new Error('timed out'),
    });

    expect(calls).toBe(3);
  });

  it('treats a probe that throws as not ready yet', async () => {
    let calls = 0;
    const probe = async (): Promise<boolean> => {
      calls += 1;
      if (calls < 2) throw new Error('connection refused');

      return true;
    };

    await waitUntil(probe, {
      timeoutMs: 2_000,
      intervalMs: 1,
      timeoutError: () => new Error('timed out'),
    });

    expect(calls).toBe(2);
  });

  it('fails with the described message after the timeout', async () => {
    const wait = waitUntil(async () => false, {
      timeoutMs: 20,
      intervalMs: 5,
      timeoutError: () => new RangeError('config is not ready'),
    });

    await expect(wait).rejects.toThrow(new RangeError('config is not ready'));
  });

  it('stops at once when abortIf throws', async () => {
    const wait = waitUntil(async () => false, {
      timeoutMs: 60_000,
      abortIf: () => {
        throw new Error('config exited with code 1');
      },
      timeoutError: () => new Error('timed out'),
    });

    await expect(wait).rejects.toThrow('config exited with code 1');
  });
});
