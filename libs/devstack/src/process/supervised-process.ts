import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

import { AppLogger } from '@xai/common';

import { Backoff } from './backoff';
import { trackChild } from './child-registry';
import { LogBuffer } from './log-buffer';
import { ShownOnceFilter, ShownOnceSecret } from './shown-once-filter';
import {
  delay,
  describeExit,
  isRunning,
  ProcessExitedException,
  ProcessNotReadyException,
  ProcessStoppedException,
  waitForExit,
} from './process-exit';
import { waitUntil } from './wait-until';

/** How to run and watch one process. */
export interface ProcessSpec {
  /** A short name for logs and errors, e.g. `config` or `pglite-config`. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves true once the process serves; probes that throw count as "not yet". */
  isReady: () => Promise<boolean>;
  /** How long the process may take to become ready, in ms. */
  readyTimeoutMs: number;
  /** Also append every output line to this file. */
  logFile?: string;
  /** Called with every output line. */
  onLogLine?: (name: string, line: string) => void;
  /**
   * Called with each secret the process shows once on its output (see {@link ShownOnceFilter});
   * such lines never reach the buffer, the log file or `onLogLine`.
   */
  onShownOnce?: (name: string, shown: ShownOnceSecret) => void;
  /** Grace period between SIGTERM and SIGKILL when stopping, in ms. Default: 10 000. */
  stopTimeoutMs?: number;
}

/** Where a supervised process is in its life. */
export type ProcessState = 'idle' | 'starting' | 'ready' | 'backoff' | 'stopping' | 'stopped';

/** A process that ran this long before crashing restarts without waiting. */
const STABLE_AFTER_MS = 30_000;
const ERROR_TAIL_LINES = 20;

/**
 * One child process, started and watched: its output lines are kept in a bounded buffer (and
 * optionally a file), readiness is awaited after each start, and once it has been ready an
 * unexpected exit is reported and followed by a restart with backoff. Children run in their
 * own process group so a Ctrl-C on the terminal reaches only the launcher, which then stops
 * them in order.
 */
export class SupervisedProcess {
  private readonly logger = new AppLogger(SupervisedProcess.name);
  private readonly buffer = new LogBuffer();
  private readonly backoff = new Backoff();
  private child?: ChildProcess;
  private spawnError?: Error;
  private logStream?: WriteStream;
  private restartTimer?: NodeJS.Timeout;
  private startedAt = 0;
  private currentState: ProcessState = 'idle';
  private restartCount = 0;

  constructor(private readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get state(): ProcessState {
    return this.currentState;
  }

  /** How many times the supervisor restarted the process after a crash. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The current process id, if the process is running. */
  pid(): number | undefined {
    return this.child && isRunning(this.child) ? this.child.pid : undefined;
  }

  /** The newest output lines, oldest first. */
  logs(): string[] {
    return this.buffer.lines();
  }

  /**
   * Spawns the process and waits until it is ready. If it exits or does not become ready in
   * time, it is stopped and the error names it and quotes its last lines.
   */
  async start(): Promise<void> {
    if (this.currentState === 'stopped') throw new ProcessStoppedException(this.name);

    this.logStream ??= this.openLogFile();
    const child = this.spawnChild();
    try {
      await this.waitReady(child);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Sends `signal` and waits for the exit; the supervisor then restarts the process. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !isRunning(child)) return;

    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  }

  /** Stops the process gracefully, starts it again, and waits until it is ready. */
  async restart(): Promise<void> {
    await this.stopChild();
    this.currentState = 'idle';
    await this.start();
  }

  /**
   * Stops the process gracefully and leaves it stopped, without restarting it, until
   * {@link start} is called again (an outage a test wants to last).
   */
  async suspend(): Promise<void> {
    await this.stopChild();
    this.currentState = 'idle';
  }

  /** SIGTERM, then SIGKILL after the grace period; no restart follows. */
  async stop(): Promise<void> {
    await this.stopChild();
    this.currentState = 'stopped';
    const stream = this.logStream;
    this.logStream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }

  private async stopChild(): Promise<void> {
    this.currentState = 'stopping';
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !isRunning(child)) return;

    const exited = waitForExit(child);
    child.kill('SIGTERM');
    const graceful = await Promise.race([
      exited.then(() => true),
      delay(this.spec.stopTimeoutMs ?? 10_000).then(() => false),
    ]);
    if (graceful) return;

    this.logger.warn('process ignored SIGTERM; killing it', { process: this.name });
    child.kill('SIGKILL');
    await exited;
  }

  private openLogFile(): WriteStream | undefined {
    const file = this.spec.logFile;
    if (!file) return undefined;

    const stream = createWriteStream(file, { flags: 'a' });
    // A log file that cannot be written must not take the launcher down; memory still has it.
    stream.on('error', (error) => {
      this.logger.warn('cannot write the log file', {
        process: this.name,
        file,
        error: error.message,
      });
      if (this.logStream === stream) this.logStream = undefined;
    });

    return stream;
  }

  private spawnChild(): ChildProcess {
    this.currentState = 'starting';
    this.spawnError = undefined;
    this.startedAt = Date.now();
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    trackChild(child);
    this.capture(child.stdout);
    this.capture(child.stderr);
    child.once('error', (error) => {
      this.spawnError = error;
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));

    return child;
  }

  private capture(stream: Readable | null): void {
    if (!stream) return;

    // One filter per stream: a line of the other stream may arrive between a header and its secret.
    const filter = new ShownOnceFilter();
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      const { keep, shown } = filter.accept(line);
      if (shown) this.spec.onShownOnce?.(this.name, shown);
      if (keep !== undefined) this.record(keep);
    });
  }

  private record(line: string): void {
    this.buffer.push(line);
    this.logStream?.write(`${line}\n`);
    this.spec.onLogLine?.(this.name, line);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs;
    await waitUntil(this.spec.isReady, {
      timeoutMs,
      abortIf: () => this.throwIfGone(child),
      timeoutError: () => new ProcessNotReadyException(this.name, timeoutMs, this.tail()),
    });
    this.throwIfGone(child);
    // A stop may have begun while the last probe was in flight; it must not be undone.
    if (this.currentState === 'starting') this.currentState = 'ready';
  }

  private throwIfGone(child: ChildProcess): void {
    if (this.spawnError) {
      const how = `could not be started (${this.spawnError.message})`;
      throw new ProcessExitedException(this.name, how, []);
    }
    // Without a pid the spawn failed; its 'error' event is on its way.
    if (child.pid !== undefined && !isRunning(child)) {
      throw new ProcessExitedException(this.name, describeExit(child), this.tail());
    }
  }

  private tail(): string[] {
    return this.buffer.tail(ERROR_TAIL_LINES);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;

    const how = describeExit(child);
    this.record(`[devstack] ${this.name} ${how}`);
    // Exits during a start are the starter's to report; exits while stopping are expected.
    if (this.currentState !== 'ready') return;

    this.logger.error('process exited unexpectedly', { process: this.name, code, signal });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.backoff.reset();
    const delayMs = this.backoff.next();
    this.currentState = 'backoff';
    this.logger.warn('restarting process', { process: this.name, inMs: delayMs });
    this.restartTimer = setTimeout(() => this.respawn(), delayMs);
  }

  private respawn(): void {
    if (this.currentState !== 'backoff') return;

    this.restartCount += 1;
    const child = this.spawnChild();
    this.waitReady(child).then(
      () => this.logger.info('process ready again', { process: this.name, pid: child.pid }),
      (error: unknown) => this.onRestartFailed(child, error),
    );
  }

  private onRestartFailed(child: ChildProcess, error: unknown): void {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;

    this.logger.error('restarted process did not become ready', {
      process: this.name,
      error: error instanceof Error ? error.message : String(error),
    });
    if (isRunning(child)) child.kill('SIGKILL');
    // Keep trying: a dependency that is down now (a database restarting) may come back.
    if (this.child === child) this.scheduleRestart();
  }
}
