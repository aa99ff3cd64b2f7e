import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Pool } from 'pg';

import { freePorts } from '../net/ports';
import { delay, isRunning, waitForExit } from '../process/process-exit';
import { findWorkspaceRoot } from '../stack/workspace';
import { embeddedPostgresUrl, postgresAnswers } from './embedded-postgres';

const WORKSPACE = findWorkspaceRoot(__dirname);

/** The server from its sources (PGlite cannot run inside Jest's VM), with this queue in it. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const [port] = await freePorts(1);
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'pglite-server.main.ts')],
    {
      cwd: WORKSPACE,
      stdio: 'ignore',
      env: {
        ...process.env,
        PGLITE_DATA_DIR: dataDir,
        PGLITE_PORT: String(port),
        PGLITE_TEMPLATE_DIR: join(WORKSPACE, 'node_modules', '.cache', 'xai-devstack'),
        PGLITE_PARENT_PID: String(process.pid),
        LOG_LEVEL: 'warn',
      },
    },
  );
  const url = embeddedPostgresUrl(port);
  const deadline = Date.now() + 60_000;
  while (!(await postgresAnswers(url).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the embedded PostgreSQL did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return { child, url };
}

// Through the socket server, as the services reach it: several pg connections at once.
describe('the embedded PostgreSQL with several connections at once', () => {
  let dataDir: string;
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xai-pglite-queue-'));
    ({ child: server, url } = await startServer(dataDir));
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query(
      'CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0);' +
        'CREATE TABLE log (n int NOT NULL, note text NOT NULL)',
    );
    await setup.end();
  }, 90_000);

  afterAll(async () => {
    // The server writes its files out as it stops: its folder goes once it has exited.
    if (server && isRunning(server)) {
      const exited = waitForExit(server);
      server.kill('SIGTERM');
      await Promise.race([exited, delay(10_000)]);
      if (isRunning(server)) server.kill('SIGKILL');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps the extended-protocol exchanges of concurrent connections apart', async () => {
    const pool = new Pool({ connectionString: url, max: 6 });

    // Writes (PGlite syncs its files after them, which lets other connections' messages in)
    // and reads of different shapes, so one bound to another's statement would fail.
    const answers = await Promise.all(
      Array.from({ length: 120 }, async (_, index) => {
        if (index % 2 === 0) {
          const { rows } = await pool.query<{ n: number }>(
            'INSERT INTO log (n, note) VALUES ($1, $2) RETURNING n',
            [index, `row ${index}`],
          );

          return rows[0].n === index;
        }
        const { rows } = await pool.query<{ text: string }>('SELECT $1::text AS text', [
          `call ${index}`,
        ]);

        return rows[0].text === `call ${index}`;
      }),
    );
    await pool.end();

    expect(answers.filter((answer) => !answer)).toEqual([]);
  });

  it('lets a connection inside a transaction finish before others run', async () => {
    const holder = new Client({ connectionString: url });
    const other = new Client({ connectionString: url });
    await Promise.all([holder.connect(), other.connect()]);

    await holder.query('BEGIN');
    await holder.query('UPDATE counter SET n = $1', [41]);
    const read = other.query<{ n: number }>('SELECT n FROM counter WHERE n >= $1', [0]);
    await holder.query('UPDATE counter SET n = n + $1', [1]);
    await holder.query('COMMIT');
    const seen = (await read).rows[0].n;
    await Promise.all([holder.end(), other.end()]);

    expect(seen).toBe(42);
  });

  it('rolls back what a connection that went away left open, and serves the others', async () => {
    const gone = new Client({ connectionString: url });
    const other = new Client({ connectionString: url });
    await Promise.all([gone.connect(), other.connect()]);
    await gone.query('BEGIN');
    await gone.query('UPDATE counter SET n = $1', [-1]);

    const read = other.query<{ n: number }>('SELECT n FROM counter');
    await gone.end();
    const seen = (await read).rows[0].n;
    await other.end();

    expect(seen).toBe(42);
  });

  it('answers a failed statement with its error and goes on serving', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();

    const failed = client.query('SELECT $1::int / 0', [1]);
    await expect(failed).rejects.toThrow(/division by zero/);
    const { rows } = await client.query<{ one: number }>('SELECT $1::int AS one', [1]);
    await client.end();

    expect(rows[0].one).toBe(1);
  });
});
