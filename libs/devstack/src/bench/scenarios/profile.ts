import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { BenchException } from '../bench.exception';
import { runClosedLoop } from '../load/closed-loop';
import { CpuProfile, ProfileSummary, summariseProfile } from '../report/cpu-profile';
import { cpuProfilePath } from '../targets/cpu-profile-path';
import type { Target } from '../targets/targets';

/** A CPU profile of the gateway at saturation, summarised. */
export interface ProfileFigure {
  seconds: number;
  connections: number;
  rps: number;
  /** Where the raw `.cpuprofile` was kept (open it in Chrome DevTools or speedscope). */
  file: string;
  summary: ProfileSummary;
}

const TOP_FUNCTIONS = 25;
const PROFILE_WAIT_MS = 15_000;

/**
 * Profiles the gateway while it is saturated with no-delay calls: SIGUSR2 to its preloaded
 * profiler before and after the load (see cpu-profile.preload.ts), then the self time per
 * function and per package.
 */
export async function profileGateway(
  target: Target,
  seconds: number,
  connections: number,
  keepAs: string,
): Promise<ProfileFigure> {
  const pid = target.pid('fast');
  if (pid === undefined) throw new BenchException('the gateway is not running');
  const file = cpuProfilePath(pid);
  await rm(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const run = await runClosedLoop(target.request('fast'), {
    connections,
    durationSeconds: seconds,
    keepLatencies: false,
  });
  process.kill(pid, 'SIGUSR2');
  await waitForFile(file);
  await copyFile(file, keepAs);
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  await rm(file, { force: true });

  return {
    seconds,
    connections,
    rps: run.rps,
    file: keepAs,
    summary: summariseProfile(profile, TOP_FUNCTIONS),
  };
}

async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + PROFILE_WAIT_MS;
  while (Date.now() < deadline) {
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new BenchException(`the gateway wrote no CPU profile to ${file} (was the preload loaded?)`);
}
