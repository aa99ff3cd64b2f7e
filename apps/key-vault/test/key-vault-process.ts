import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';

import { Client } from 'pg';

const WORKSPACE = resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Free TCP ports on 127.0.0.1, all held until every one is known so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map(async (server) => {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));

  return ports;
}

/** A database of its own on the shared server, dropped at the end of the run. */
export class ScratchDatabase {
  private constructor(
    private readonly serverUrl: string,
    readonly name: string,
    readonly url: string,
  ) {}

  /** Creates `xai_kv_<random>` on the server of `serverUrl`. */
  static async create(serverUrl: string): Promise<ScratchDatabase> {
    const name = `xai_kv_${randomBytes(6).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));

    return new ScratchDatabase(serverUrl, name, url.toString());
  }

  /** Drops the database, ending any session still on it. */
  async drop(): Promise<void> {
    await withClient(this.serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`),
    );
  }
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** key-vault run from its sources as a child process, its stdout and stderr captured. */
export class KeyVaultProcess {
  private output = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly httpPort: number,
    readonly grpcPort: number,
  ) {
    const capture = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    child.once('exit', () => {
      this.exited = true;
    });
  }

  /**
   * Starts key-vault with exactly `env` (plus PATH and free ports), so nothing from the test's
   * own environment, such as a KEK, leaks in; resolves once `/healthz` answers.
   */
  static async start(env: Record<string, string>): Promise<KeyVaultProcess> {
    const [httpPort, grpcPort] = await freePorts(2);
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/key-vault/src/main.ts'],
      {
        cwd: WORKSPACE,
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          HTTP_PORT: String(httpPort),
          GRPC_PORT: String(grpcPort),
          LOG_LEVEL: 'debug',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const vault = new KeyVaultProcess(child, httpPort, grpcPort);
    await vault.waitUntilHealthy();

    return vault;
  }

  /** The gRPC address to call. */
  get grpcUrl(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get logs(): string {
    return this.output;
  }

  /** GETs a path of the HTTP listener. */
  async get(path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}${path}`);

    return { status: response.status, body: await response.json() };
  }

  /** Stops the process with SIGTERM, or SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exit;
    clearTimeout(timer);
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`key-vault exited during start:\n${this.output}`);
      const healthy = await this.get('/healthz').then(
        ({ status }) => status === 200,
        () => false,
      );
      if (healthy) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    await this.stop();
    throw new Error(`key-vault was not healthy within ${START_TIMEOUT_MS} ms:\n${this.output}`);
  }
}
