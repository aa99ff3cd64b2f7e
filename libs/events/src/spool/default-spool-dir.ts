import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The spool folder a process uses when none is configured: `<tmp>/xai-audit-spool/<name>`.
 * Name it after the service and its port, so processes on one host never share one (the
 * spool's lock would refuse the second).
 */
export function defaultSpoolDir(name: string): string {
  return join(tmpdir(), 'xai-audit-spool', name);
}
