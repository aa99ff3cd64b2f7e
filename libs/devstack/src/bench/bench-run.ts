import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { AppLogger } from '@xai/common';

import { BenchSettings } from './bench-settings';
import { runClosedLoop } from './load/closed-loop';
import { BenchResults } from './report/bench-results';
import { checkTargets, compare } from './report/evaluate';
import { machineInfo } from './report/machine';
import { checkWarmPath, decryptCount, measureColdKeys } from './scenarios/key-paths';
import {
  measureConcurrencyOne,
  measureOpenLoop,
  measureSparse,
  measureThroughput,
} from './scenarios/latency';
import { profileGateway } from './scenarios/profile';
import { soak } from './scenarios/soak';
import { measureHeldStreams, measureStreaming } from './scenarios/streaming';
import { LARGE_PROMPT_KIB } from './targets/bench-models';
import { Fixtures, startFixtures } from './targets/fixtures';
import { RouterTarget, startRouter } from './targets/router';
import {
  bareProxyTarget,
  mockTarget,
  portkeyTarget,
  routerTarget,
  Target,
} from './targets/targets';

/** Where the run happens and where its files go. */
export interface BenchContext {
  rootDir: string;
  fromSource: boolean;
  /** A file-name-safe timestamp naming this run's files. */
  stamp: string;
  /** Aborting stops every process the run started; the run then rejects. */
  signal: AbortSignal;
}

type Figures = Omit<BenchResults, 'comparisons' | 'checks'>;

/** Sparse calls per target per round, and the pause before each (past the 250 ms caches). */
const SPARSE_CALLS = 8;
const SPARSE_PAUSE_MS = 300;

let benchLogger: AppLogger | undefined;

/** Made on first use: one made at import time would be bound to the silent pre-init logger. */
function logger(): AppLogger {
  benchLogger ??= new AppLogger('Bench');

  return benchLogger;
}

/**
 * One benchmark run: starts the mocks, bare proxies, the Portkey peer and two routers (audit
 * on and off), measures them interleaved, then the router alone (held streams, warm and cold
 * keys, soak) and a profiled router, and stops everything it started.
 */
export async function runBench(
  settings: BenchSettings,
  context: BenchContext,
): Promise<BenchResults> {
  const outDir = join(context.rootDir, settings.outDir);
  await mkdir(join(outDir, `${context.stamp}-logs`), { recursive: true });
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (let stop = stoppers.pop(); stop; stop = stoppers.pop())
      await stop().catch(() => undefined);
  };
  // Stopping twice is harmless: a stopped stack or process has nothing left to stop.
  context.signal.addEventListener('abort', () => void stopAll(), { once: true });
  const figures = emptyFigures(settings, context.rootDir);
  try {
    const fixtures = await startFixtures({
      ...settings,
      rootDir: context.rootDir,
      fromSource: context.fromSource,
      logFile: (name) => join(outDir, `${context.stamp}-logs`, `${name}.log`),
    });
    stoppers.push(() => fixtures.stop());
    context.signal.throwIfAborted();
    await measureRouters(settings, context, fixtures, figures, stoppers, outDir);
  } finally {
    await stopAll();
  }
  figures.finishedAt = new Date().toISOString();
  figures.machine.loadAverageAtEnd = loadavg()[0];
  if (figures.machine.loadAverageAtStart > figures.machine.cpus) {
    figures.notes.push(
      `The machine was busy when the run started (load average ${figures.machine.loadAverageAtStart.toFixed(1)} ` +
        `on ${figures.machine.cpus} CPUs): absolute figures are inflated; ratios are fairer.`,
    );
  }
  const comparisons = compare(figures);

  return { ...figures, comparisons, checks: checkTargets(figures, comparisons) };
}

function emptyFigures(settings: BenchSettings, rootDir: string): Figures {
  return {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: machineInfo(rootDir),
    settings,
    targets: [],
    notes: [],
    latencyC1: {},
    sparse: {},
    openLoop: {},
    throughput: {},
    streaming: {},
    heldStreams: {},
  };
}

async function measureRouters(
  settings: BenchSettings,
  context: BenchContext,
  fixtures: Fixtures,
  figures: Figures,
  stoppers: Array<() => Promise<void>>,
  outDir: string,
): Promise<void> {
  logger().info('starting the routers (audit on and audit off)');
  const routerOptions = {
    rootDir: context.rootDir,
    fromSource: context.fromSource,
    mocks: fixtures.mocks,
    signal: context.signal,
  };
  const [main, auditOff] = await Promise.all([
    startRouter({
      ...routerOptions,
      auditEnabled: true,
      coldKeys: settings.coldKeys,
      profilable: settings.profile,
    }),
    startRouter({ ...routerOptions, auditEnabled: false, coldKeys: 0, profilable: false }),
  ]);
  stoppers.push(() => main.stack.stop());
  stoppers.push(() => auditOff.stack.stop());
  const l4 = routerTarget('L4', main);
  const targets: Target[] = [
    mockTarget(fixtures),
    bareProxyTarget(fixtures),
    l4,
    routerTarget('L4-audit-off', auditOff),
  ];
  if (fixtures.portkey) targets.push(portkeyTarget(fixtures.portkey, fixtures));
  figures.targets = targets.map((target) => target.name);
  await warmUp(targets);
  await interleavedPhases(settings, targets, main, figures);
  await auditOff.stack.stop();
  if (settings.profile) {
    logger().info('profiling the gateway at saturation', { seconds: settings.profileSeconds });
    const keepAs = join(outDir, `${context.stamp}-gateway.cpuprofile`);
    figures.profile = await attempt(figures, 'CPU profile', () =>
      profileGateway(l4, settings.profileSeconds, settings.connections, keepAs),
    );
  }
  await routerOnlyPhases(settings, fixtures, l4, main, figures);
  await main.stack.stop();
}

async function warmUp(targets: Target[]): Promise<void> {
  logger().info('warming up every target');
  for (const target of targets) {
    for (const workload of ['fast', 'delayed'] as const) {
      await runClosedLoop(target.request(workload), {
        connections: 8,
        durationSeconds: 1,
        keepLatencies: false,
      });
    }
  }
}

async function interleavedPhases(
  settings: BenchSettings,
  targets: Target[],
  main: RouterTarget,
  figures: Figures,
): Promise<void> {
  const decryptsBefore = await decryptCount(main);
  logger().info('concurrency 1');
  figures.latencyC1 = await measureConcurrencyOne(
    targets,
    settings.rounds,
    settings.latencySeconds,
  );
  logger().info('sparse calls', { pauseMs: SPARSE_PAUSE_MS });
  figures.sparse = await measureSparse(targets, settings.rounds, SPARSE_CALLS, SPARSE_PAUSE_MS);
  logger().info('open loop', { rate: settings.openLoopRate });
  figures.openLoop = await measureOpenLoop(
    targets,
    settings.rounds,
    settings.openLoopSeconds,
    settings.openLoopRate,
  );
  logger().info('saturation', { connections: settings.connections });
  figures.throughput = await measureThroughput(
    targets,
    settings.rounds,
    settings.throughputSeconds,
    settings.connections,
  );
  logger().info('streaming');
  figures.streaming = await measureStreaming(
    targets,
    settings.rounds,
    settings.streamsPerRound,
    settings.chunkDelayMs,
  );
  const decrypts = (await decryptCount(main)) - decryptsBefore;
  logger().info('warm path with config and key-vault frozen');
  figures.warmPath = await attempt(figures, 'warm-path check', () =>
    checkWarmPath(routerTarget('L4', main), main, decrypts),
  );
  const portkeyStreams = figures.streaming.portkey;
  if (portkeyStreams && portkeyStreams.errors > 0) {
    figures.notes.push(
      `Portkey streaming failed (${portkeyStreams.errors}/${portkeyStreams.streams}: ${portkeyStreams.firstError ?? '?'}); ` +
        'its log shows "TypeError: immutable" in updateHeaders, Portkey-AI/gateway#1389 (with @hono/node-server > 1.14.2).',
    );
  }
}

async function routerOnlyPhases(
  settings: BenchSettings,
  fixtures: Fixtures,
  l4: Target,
  main: RouterTarget,
  figures: Figures,
): Promise<void> {
  logger().info('cold keys', { keys: settings.coldKeys });
  figures.coldKey = await attempt(figures, 'cold keys', () =>
    measureColdKeys(l4, main, settings.coldKeys),
  );
  // Held streams are measured on fresh processes, both restarted and warmed up alike: a heap
  // grown by earlier load (the cold-key probes' warm-up included) would absorb them and hide
  // their cost.
  const l2 = bareProxyTarget(fixtures);
  const restart = async (target: Target): Promise<void> => {
    if (target === l2) await fixtures.bareProxies.stream.restart();
    else await main.stack.restart('gateway');
  };
  logger().info('held streams', { streams: settings.heldStreams });
  const holdSeconds = (settings.holdChunkDelayMs * 16) / 1000;
  const held = { streams: settings.heldStreams, holdSeconds, restart };
  figures.heldStreams =
    (await attempt(figures, 'held streams', () => measureHeldStreams([l2, l4], held))) ?? {};
  // Again, each stream with a realistic prompt: what a stream keeps of it.
  logger().info('held streams, large prompts', { kib: LARGE_PROMPT_KIB });
  figures.heldStreamsLargePrompt = await attempt(figures, 'held streams, large prompts', () =>
    measureHeldStreams([l2, l4], { ...held, promptKib: LARGE_PROMPT_KIB }),
  );
  logger().info('soak', { minutes: settings.soakMinutes, rate: settings.soakRate });
  figures.soak = await attempt(figures, 'soak', () =>
    soak(l4, settings.soakMinutes, settings.soakRate, settings.soakMinutes > 2 ? 10 : 2),
  );
}

/**
 * Runs one phase that the rest of the run does not depend on: a failure becomes a note in the
 * results (and the figure stays missing) instead of losing every other figure.
 */
async function attempt<T>(
  figures: Figures,
  phase: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger().warn('a phase failed; its figures are missing', { phase, error: reason });
    figures.notes.push(`The ${phase} phase failed: ${reason}`);

    return undefined;
  }
}
