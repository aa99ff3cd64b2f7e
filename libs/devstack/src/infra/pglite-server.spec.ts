import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { processTable } from '../process/orphan-reaper';
import { findWorkspaceRoot } from '../stack/workspace';

const WORKSPACE = findWorkspaceRoot(__dirname);
const SERVER_MAIN = join(__dirname, 'pglite-server.main.ts');
const TEMPLATE_DIR = join(WORKSPACE, 'node_modules', '.cache', 'xai-devstack');

function isAlive(pid: number): boolean {
  return processTable().some((entry) => entry.pid === pid && !entry.state.startsWith('Z'));
}

async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A launcher that starts the PGlite server in a process group of its own and prints its id. */
function startLauncher(dataDir: string): ChildProcess {
  const launch =
    "const c = require('node:child_process').spawn(process.execPath, " +
    "['-r', '@swc-node/register', process.argv[1]], { detached: true, stdio: 'ignore', " +
    'env: { ...process.env, PGLITE_DATA_DIR: process.argv[2], PGLITE_PORT: "0", ' +
    'PGLITE_TEMPLATE_DIR: process.argv[3], LOG_LEVEL: "warn", ' +
    'PGLITE_PARENT_PID: String(process.pid) } });' +
    'console.log(c.pid); setInterval(() => undefined, 60000);';

  return spawn(process.execPath, ['-e', launch, SERVER_MAIN, dataDir, TEMPLATE_DIR], {
    cwd: WORKSPACE,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe('the embedded PostgreSQL process', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xai-pglite-spec-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops when its launcher is killed while it is still starting', async () => {
    const launcher = startLauncher(dataDir);
    const lines = createInterface({ input: launcher.stdout ?? process.stdin });
    const [line] = (await once(lines, 'line')) as [string];
    const serverPid = Number(line);

    launcher.kill('SIGKILL');

    await eventually(() => !isAlive(serverPid), 45_000);
  }, 60_000);
});
