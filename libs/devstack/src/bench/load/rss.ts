import { readFile } from 'node:fs/promises';

/**
 * The resident set size of a process, in KiB, from `/proc/<pid>/status` (Linux). Undefined when
 * the process is gone or the platform has no procfs.
 */
export async function rssKib(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);

    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
