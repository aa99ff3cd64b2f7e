import type { ChildProcess } from 'node:child_process';

const living = new Set<ChildProcess>();
let hooked = false;

/**
 * Remembers a spawned child until it exits. If this process exits first (a test run that
 * failed, a crash), every remembered child is killed, so no service outlives its launcher.
 * `exit` listeners must be synchronous, hence SIGKILL: there is no time to wait for a
 * graceful stop.
 */
export function trackChild(child: ChildProcess): void {
  living.add(child);
  child.once('exit', () => living.delete(child));
  if (hooked) return;

  hooked = true;
  process.once('exit', killAllChildren);
}

/** Kills every tracked child at once; used when this process exits. */
export function killAllChildren(): void {
  for (const child of living) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  living.clear();
}

/** How many tracked children are still running. */
export function livingChildCount(): number {
  return living.size;
}
