import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Needs nothing but Node itself: the jest global setup and test environment load it outside
 * jest's module mapping, where `@xai/*` imports do not resolve.
 */

/** One line of the process table. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** `Z` for a zombie: exited, waiting for its parent to collect it. */
  state: string;
}

/** Options of {@link installOrphanReaper}. */
export interface OrphanReaperOptions {
  /** How long the children get to exit after SIGTERM before they are killed, in ms. */
  graceMs: number;
  /** Runs once the children are gone, just before this process ends (e.g. deletes files). */
  onEnd?: () => void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const POLL_MS = 100;
const PARENT_POLL_MS = 500;
/** Marks the real `process` object, so a module loaded twice still installs one reaper. */
const INSTALLED = Symbol.for('xai.devstack.orphan-reaper');

/** Parses one `/proc/<pid>/stat` line; the command name may hold spaces and parentheses. */
export function parseProcStat(line: string): ProcessEntry | undefined {
  const close = line.lastIndexOf(')');
  const [state, ppid] = line.slice(close + 2).split(' ');
  const pid = Number.parseInt(line, 10);
  if (close < 0 || !Number.isInteger(pid) || !state || !ppid) return undefined;

  return { pid, ppid: Number(ppid), state };
}

/** Parses the output of `ps -A -o pid=,ppid=,stat=`. */
export function parsePsOutput(output: string): ProcessEntry[] {
  return output.split('\n').flatMap((line) => {
    const [pid, ppid, state] = line.trim().split(/\s+/);

    return pid && ppid && state ? [{ pid: Number(pid), ppid: Number(ppid), state }] : [];
  });
}

/** The process table: from `/proc` on Linux, else from `ps` (macOS), else empty. */
export function processTable(): ProcessEntry[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        const entry = readStat(pid);

        return entry ? [entry] : [];
      });
  } catch {
    return psTable();
  }
}

function readStat(pid: string): ProcessEntry | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // The process ended between the listing and the read.
    return undefined;
  }
}

function psTable(): ProcessEntry[] {
  try {
    return parsePsOutput(
      execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' }),
    );
  } catch {
    return [];
  }
}

/** The living (not zombie) children of `parentPid`. */
export function livingChildren(parentPid: number = process.pid): number[] {
  return processTable()
    .filter((entry) => entry.ppid === parentPid && !entry.state.startsWith('Z'))
    .map((entry) => entry.pid);
}

/**
 * Sends `signal` to each process and to the process group it leads, if it leads one: children
 * spawned `detached` (the supervised services) lead a group of their own.
 */
export function signalProcesses(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, signal);
      } catch {
        // Gone already, or not a group leader.
      }
    }
  }
}

/**
 * Stops every child of `parentPid` (default: this process): SIGTERM (so a child that has
 * children of its own, a jest worker or a launcher, can stop them), then SIGKILL for those still
 * running after `graceMs`. Children that appear meanwhile get the same treatment.
 */
export async function stopChildren(
  graceMs: number,
  parentPid: number = process.pid,
): Promise<void> {
  const signalled = new Set<number>();
  const deadline = Date.now() + graceMs;
  for (;;) {
    const living = livingChildren(parentPid);
    if (living.length === 0) return;
    if (Date.now() >= deadline) return signalProcesses(living, 'SIGKILL');

    signalProcesses(
      living.filter((pid) => !signalled.has(pid)),
      'SIGTERM',
    );
    for (const pid of living) signalled.add(pid);
    await sleep(POLL_MS);
  }
}

/**
 * Makes sure this process's children do not outlive it when it is interrupted: on SIGINT,
 * SIGTERM or SIGHUP (and, in a child process, when its parent goes away) the children are
 * stopped first, then this process ends the way the signal would have ended it. Meant for the
 * jest processes, whose default reaction to a signal is to die at once and leave every server
 * they started running. Installed once per process however often it is called.
 */
export function installOrphanReaper(options: OrphanReaperOptions): void {
  const marked = process as unknown as Record<symbol, boolean | undefined>;
  if (marked[INSTALLED]) return;

  marked[INSTALLED] = true;
  let ending = false;
  const end = (reason: NodeJS.Signals | 'parent gone'): void => {
    if (ending) return;

    ending = true;
    void stopChildren(options.graceMs)
      .then(() => options.onEnd?.())
      .finally(() => dieOf(reason, onSignal));
  };
  const onSignal = (signal: NodeJS.Signals): void => end(signal);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // A jest worker whose main process died keeps running its test file, and everything it
  // started. Only in a process with an IPC channel (a worker): a main process re-parented by
  // `nohup` must keep running.
  if (process.connected) watchParent(() => end('parent gone'));
}

/**
 * Calls `onGone` once the parent has gone (this process was re-parented). Polled rather than
 * through the IPC channel's `disconnect` event: listening for that keeps the channel, and so
 * the worker, alive after jest is done with it.
 */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;

    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  timer.unref();
}

function dieOf(reason: NodeJS.Signals | 'parent gone', listener: NodeJS.SignalsListener): void {
  if (reason === 'parent gone') process.exit(1);

  for (const signal of SIGNALS) process.removeListener(signal, listener);
  // Someone else still listens (and may not end the process): exit the way the signal would.
  if (process.listenerCount(reason) > 0) process.exit(128 + constants.signals[reason]);

  process.kill(process.pid, reason);
}
