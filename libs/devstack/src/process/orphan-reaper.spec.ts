import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import {
  livingChildren,
  parseProcStat,
  parsePsOutput,
  processTable,
  stopChildren,
} from './orphan-reaper';

const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'reaped-parent.ts');
const WORKSPACE = join(__dirname, '..', '..', '..', '..');

interface FixturePids {
  pid: number;
  children: number[];
}

function isAlive(pid: number): boolean {
  return processTable().some((entry) => entry.pid === pid && !entry.state.startsWith('Z'));
}

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first line `child` writes, parsed as JSON. */
async function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  if (!child.stdout) throw new Error('no stdout');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();

  return JSON.parse(line) as T;
}

/** Runs the fixture; through a middle process that forks it (with IPC) when `forked`. */
function startFixture(forked: boolean): ChildProcess {
  const fork =
    "const c = require('node:child_process').fork(process.argv[1], [], " +
    "{ execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });" +
    'c.stdout.pipe(process.stdout);';
  const args = forked ? ['-e', fork, FIXTURE] : ['-r', '@swc-node/register', FIXTURE];

  return spawn(process.execPath, args, { cwd: WORKSPACE, stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('parseProcStat', () => {
  it('reads the state and parent id after a command name holding spaces and parentheses', () => {
    const entry = parseProcStat('4242 (node (worker) 1) S 4200 4242 4242 0 -1 4194560');

    expect(entry).toEqual({ pid: 4242, ppid: 4200, state: 'S' });
  });

  it('returns nothing for a line it cannot read', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});

describe('parsePsOutput', () => {
  it('reads one process per line and skips blank lines', () => {
    const entries = parsePsOutput('  1     0 Ss\n 4242  4200 Z+\n\n');

    expect(entries).toEqual([
      { pid: 1, ppid: 0, state: 'Ss' },
      { pid: 4242, ppid: 4200, state: 'Z+' },
    ]);
  });
});

describe('stopChildren', () => {
  it('stops the children of a process, killing the one that ignores SIGTERM after the grace', async () => {
    const script = 'sleep 300 & (trap "" TERM; exec sleep 301) & wait';
    const shell = spawn('sh', ['-c', script], { stdio: 'ignore' });
    const shellPid = shell.pid ?? 0;
    await eventually(() => livingChildren(shellPid).length === 2);

    await stopChildren(300, shellPid);

    await eventually(() => livingChildren(shellPid).length === 0, 2_000);
    shell.kill('SIGKILL');
  });
});

describe('installOrphanReaper', () => {
  it('stops the children, detached or not, then dies of the signal it got', async () => {
    const fixture = startFixture(false);
    const { children } = await firstJsonLine<FixturePids>(fixture);
    const exited = once(fixture, 'exit');

    fixture.kill('SIGTERM');

    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect([code, signal]).toEqual([null, 'SIGTERM']);
    await eventually(() => children.every((pid) => !isAlive(pid)), 5_000);
  });

  it('stops the children and exits when its parent dies without warning', async () => {
    const middle = startFixture(true);
    const { pid, children } = await firstJsonLine<FixturePids>(middle);

    middle.kill('SIGKILL');

    await eventually(() => !isAlive(pid) && children.every((child) => !isAlive(child)));
  });
});
