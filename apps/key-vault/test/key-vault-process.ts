import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';

import { GrpcClient, KeyVaultMethods, SERVICE_TOKEN_METADATA_KEY } from '@xai/contracts';
import { testRedisUrl } from '@xai/devstack';

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

/** The service token every test key-vault is started with (see {@link KeyVaultProcess.client}). */
export const TEST_SERVICE_TOKEN = `test-service-token-${randomBytes(16).toString('hex')}`;

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
   * Starts key-vault with exactly `env` (plus PATH, free ports, Redis, a Redis prefix of its
   * own and {@link TEST_SERVICE_TOKEN}), so nothing from the test's own environment, such as a
   * KEK, leaks in; resolves once `/healthz` answers. Given `ports`, listens on those again.
   */
  static async start(
    env: Record<string, string>,
    ports?: { httpPort: number; grpcPort: number },
  ): Promise<KeyVaultProcess> {
    const [httpPort, grpcPort] = ports ? [ports.httpPort, ports.grpcPort] : await freePorts(2);
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
          REDIS_URL: testRedisUrl(),
          XAI_REDIS_PREFIX: `xai-kv-test-${randomBytes(4).toString('hex')}:`,
          XAI_SERVICE_TOKEN_GATEWAY: TEST_SERVICE_TOKEN,
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

  /** A gRPC client that presents the service token, as the gateway does. */
  client(token = TEST_SERVICE_TOKEN): GrpcClient<KeyVaultMethods> {
    return new GrpcClient<KeyVaultMethods>('keyVault', this.grpcUrl, {
      metadata: { [SERVICE_TOKEN_METADATA_KEY]: token },
    });
  }

  /** Resolves once `/readyz` answers 200, or rejects after `timeoutMs`. */
  async waitUntilReady(timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ready = await this.get('/readyz').then(
        ({ status }) => status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`key-vault was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exit;
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
