import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

import { cpuProfilePath } from './cpu-profile-path';

/**
 * Preloaded (`NODE_OPTIONS=--require …`) into the gateway under test: SIGUSR2 starts V8's
 * sampling profiler, the next SIGUSR2 stops it and writes the profile to
 * {@link cpuProfilePath}. Node 20 refuses `--cpu-prof` in NODE_OPTIONS, and profiling only
 * between the signals keeps start-up, warm-up and shutdown out of the figures. Idle until
 * signalled: it costs nothing when no profile is asked for.
 */
const session = new Session();
let profiling = false;

process.on('SIGUSR2', () => {
  if (profiling) stop();
  else start();
});

function start(): void {
  profiling = true;
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
}

function stop(): void {
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    session.disconnect();
    if (error) return;
    const file = cpuProfilePath(process.pid);
    // Written aside and renamed, so the benchmark never reads half a file.
    writeFileSync(`${file}.part`, JSON.stringify(result.profile));
    renameSync(`${file}.part`, file);
  });
}
