import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the CPU-profile preload of process `pid` writes its profile. */
export function cpuProfilePath(pid: number): string {
  return join(tmpdir(), `xai-bench-cpu-${pid}.cpuprofile`);
}
