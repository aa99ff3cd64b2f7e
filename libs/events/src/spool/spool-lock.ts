import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Thrown when another live process holds the spool folder. */
export class SpoolLockedException extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`The spool folder ${dir} is in use by process ${pid}; give each process its own.`);
    this.name = SpoolLockedException.name;
  }
}

const LOCK_FILE = 'spool.lock';

/**
 * Takes the folder for this process: a lock file holding its pid. A lock left by a process
 * that is gone (a crash) is taken over; one held by a live process is refused, since two
 * writers would interleave segments and replay each other's events.
 */
export async function acquireSpoolLock(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  try {
    await writeFile(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(file, 'utf8')).trim());
    if (holder !== process.pid && isAlive(holder)) throw new SpoolLockedException(dir, holder);
    await writeFile(file, String(process.pid));
  }

  return () => rm(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
