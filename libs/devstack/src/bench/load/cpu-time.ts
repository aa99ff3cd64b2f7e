import { readFile } from 'node:fs/promises';

/** Linux's USER_HZ: `/proc/<pid>/stat` counts CPU time in ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`.
 * Undefined when the process is gone or there is no procfs. Unlike wall-clock throughput it
 * barely moves when other work competes for the CPUs, so it is the steadier cost figure.
 */
export async function cpuTimeMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);

    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
