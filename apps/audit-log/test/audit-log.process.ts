import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls every 50 ms until `probe` returns something other than undefined. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The audit-log service run from its sources as a child process, as in production. */
export class AuditLogProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(
    private readonly env: Record<string, string>,
    readonly httpPort: number,
  ) {}

  /** Starts the process and waits until /readyz answers 200. */
  async start(): Promise<void> {
    this.output = '';
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/audit-log/src/main.ts'],
      {
        cwd: REPO_ROOT,
        // These tests call the gRPC API directly; service identity is proven in custody-proof.
        env: { ...process.env, XAI_DEV_ALLOW_ANY_CALLER: 'true', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    const state = await waitFor(
      async () => {
        if (child.exitCode !== null) return 'exited';
        const response = await fetch(`http://127.0.0.1:${this.httpPort}/readyz`);

        return response.ok ? 'ready' : undefined;
      },
      30_000,
      'audit-log readiness',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${this.output}`);
    });
    if (state === 'exited')
      throw new Error(`audit-log exited before it was ready:\n${this.output}`);
  }

  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve(child?.exitCode ?? null);
    }

    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }

  /** Everything the process wrote, for failure messages. */
  logs(): string {
    return this.output;
  }
}
