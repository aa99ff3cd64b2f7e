import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** The machine and software a run measured on, for the results to be comparable. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGib: number;
  node: string;
  platform: string;
  /** The workspace's commit, and whether it had uncommitted changes. */
  commit: string;
  dirty: boolean;
  /** One-minute load averages: other work on the machine skews every figure. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

/** Reads the machine's CPU count and model (`/proc/cpuinfo`), memory, Node and the commit. */
export function machineInfo(rootDir: string): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGib: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    commit: git(rootDir, ['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(rootDir, ['status', '--porcelain', '--untracked-files=no']) !== '',
    loadAverageAtStart: loadavg()[0],
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));

    return match ? match[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}
