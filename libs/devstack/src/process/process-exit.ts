import type { ChildProcess } from 'node:child_process';

/** Thrown when a process exits (or cannot be spawned) before it became ready. */
export class ProcessExitedException extends Error {
  constructor(name: string, how: string, lastLines: string[]) {
    super(`${name} ${how} before it was ready.${formatLastLines(lastLines)}`);
    this.name = ProcessExitedException.name;
  }
}

/** Thrown when a process does not become ready in time. */
export class ProcessNotReadyException extends Error {
  constructor(name: string, timeoutMs: number, lastLines: string[]) {
    super(`${name} was not ready after ${timeoutMs / 1000} s.${formatLastLines(lastLines)}`);
    this.name = ProcessNotReadyException.name;
  }
}

function formatLastLines(lines: string[]): string {
  return lines.length === 0 ? ' It wrote nothing.' : ` Its last lines:\n  ${lines.join('\n  ')}`;
}

/** Thrown when a stopped process is asked to start (its stack is shutting down). */
export class ProcessStoppedException extends Error {
  constructor(name: string) {
    super(`${name} was stopped; it is not started again.`);
    this.name = ProcessStoppedException.name;
  }
}

/** True while the child has a pid and has not exited. */
export function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** How a child ended, for messages: `exited with code 1`, `was killed by SIGKILL`. */
export function describeExit(child: ChildProcess): string {
  if (child.signalCode) return `was killed by ${child.signalCode}`;

  return `exited with code ${child.exitCode ?? 'unknown'}`;
}

/** Resolves when the child has exited (at once if it already has). */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();

  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A timer that does not keep the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
