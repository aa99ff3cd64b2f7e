import { setTimeout as sleep } from 'node:timers/promises';

import { ProcessExitedException, ProcessNotReadyException } from './process-exit';
import { ProcessSpec, SupervisedProcess } from './supervised-process';

/** A node child running `script`; it counts as ready once it has printed "ready". */
function nodeProcess(script: string, overrides: Partial<ProcessSpec> = {}): SupervisedProcess {
  const supervised: SupervisedProcess = new SupervisedProcess({
    name: 'child',
    command: process.execPath,
    args: ['-e', script],
    cwd: process.cwd(),
    env: process.env,
    isReady: async () => supervised.logs().includes('ready'),
    readyTimeoutMs: 10_000,
    ...overrides,
  });

  return supervised;
}

const SERVE = "console.log('ready'); setInterval(() => {}, 1000);";

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe(SupervisedProcess.name, () => {
  let supervised: SupervisedProcess | undefined;

  afterEach(async () => {
    await supervised?.stop();
  });

  it('resolves start once the process is ready, with its output kept', async () => {
    supervised = nodeProcess("console.log('booting'); " + SERVE);

    await supervised.start();

    expect(supervised.state).toBe('ready');
    expect(supervised.pid()).toEqual(expect.any(Number));
    expect(supervised.logs().slice(0, 2)).toEqual(['booting', 'ready']);
  });

  it('fails the start, quoting the last lines, when the process exits first', async () => {
    supervised = nodeProcess("console.error('DATABASE_URL: required'); process.exit(3);");

    const start = supervised.start();

    await expect(start).rejects.toThrow(ProcessExitedException);
    await expect(start).rejects.toThrow(
      /child exited with code 3 before it was ready[\s\S]*DATABASE_URL: required/,
    );
    expect(supervised.state).toBe('stopped');
  });

  it('fails the start when the process is not ready in time, and stops it', async () => {
    supervised = nodeProcess('setInterval(() => {}, 1000);', { readyTimeoutMs: 300 });

    await expect(supervised.start()).rejects.toThrow(ProcessNotReadyException);
    expect(supervised.pid()).toBeUndefined();
  });

  it('restarts a ready process that dies, with a new pid', async () => {
    supervised = nodeProcess(SERVE);
    await supervised.start();
    const firstPid = supervised.pid();

    await supervised.kill('SIGKILL');
    await until(() => supervised?.state === 'ready' && supervised.pid() !== undefined);

    expect(supervised.pid()).not.toBe(firstPid);
    expect(supervised.restarts).toBe(1);
    expect(supervised.logs()).toContain('[devstack] child was killed by SIGKILL');
  });

  it('does not restart a process it stopped', async () => {
    supervised = nodeProcess(SERVE);
    await supervised.start();

    await supervised.stop();
    await sleep(700);

    expect(supervised.state).toBe('stopped');
    expect(supervised.pid()).toBeUndefined();
    expect(supervised.restarts).toBe(0);
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    supervised = nodeProcess("process.on('SIGTERM', () => {}); " + SERVE, { stopTimeoutMs: 200 });
    await supervised.start();

    await supervised.stop();

    expect(supervised.logs()).toContain('[devstack] child was killed by SIGKILL');
  });

  it('stops a running process gracefully with SIGTERM', async () => {
    supervised = nodeProcess(SERVE);
    await supervised.start();

    await supervised.stop();

    expect(supervised.logs()).toContain('[devstack] child was killed by SIGTERM');
  });
});
