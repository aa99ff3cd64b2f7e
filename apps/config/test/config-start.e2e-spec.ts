import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { createTestDatabase, freePort, TEST_REDIS_URL, TestDatabase } from './config-process';

// A service that cannot start says why before it exits. Its last log lines used to be lost:
// it exited before the logger had written them out.
describe('config service that cannot start (process)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it.each([
    ['unset', undefined],
    ['only blanks', ' \t'],
  ])(
    'exits 1 naming the missing variable when the service token is %s',
    async (_case, token) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        ...database.serviceEnv,
        REDIS_URL: TEST_REDIS_URL,
        HOST: '127.0.0.1',
        HTTP_PORT: String(await freePort()),
        GRPC_PORT: String(await freePort()),
        XAI_METRICS_PORT: String(await freePort()),
      };
      if (token !== undefined) env.XAI_SERVICE_TOKEN_GATEWAY = token;

      const run = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join('apps', 'config', 'src', 'main.ts')],
        { cwd: join(__dirname, '..', '..', '..'), env, encoding: 'utf8', timeout: 60_000 },
      );

      expect(run.status).toBe(1);
      const failure = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; error?: string })
        .find((line) => line.msg === 'config service failed to start');
      expect(failure?.error).toContain('XAI_SERVICE_TOKEN_GATEWAY: required');
    },
    90_000,
  );
});
