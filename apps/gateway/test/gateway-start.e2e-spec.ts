import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

interface LogLine {
  msg: string;
  error?: string;
}

/** Starts the gateway from sources with exactly `env`, and returns how it ended. */
function runGateway(env: NodeJS.ProcessEnv): { status: number | null; lines: LogLine[] } {
  const run = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', 'gateway', 'src', 'main.ts')],
    { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 },
  );
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

  return { status: run.status, lines };
}

// The gateway used to start without its service token and fail only at its first call to
// config, key-vault or audit-log, which refuse it; like them, it now refuses to start.
describe('gateway that cannot start (process)', () => {
  it.each([
    ['unset', undefined],
    ['only blanks', ' \t'],
  ])(
    'exits 1 naming the missing variable when the service token is %s',
    (_case, token) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        // Port 0: the test needs no port of its own, nothing may get as far as listening.
        HTTP_PORT: '0',
        REDIS_URL: process.env.REDIS_URL,
        XAI_VIRTUAL_KEY_PEPPER: 'p'.repeat(48),
      };
      if (token !== undefined) env.XAI_SERVICE_TOKEN_GATEWAY = token;

      const { status, lines } = runGateway(env);

      expect(status).toBe(1);
      const failure = lines.find((line) => line.msg === 'gateway failed to start');
      expect(failure?.error).toContain('XAI_SERVICE_TOKEN_GATEWAY: required');
    },
    90_000,
  );
});
