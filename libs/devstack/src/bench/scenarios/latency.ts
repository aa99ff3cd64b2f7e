import { setTimeout as sleep } from 'node:timers/promises';

import { Agent } from 'undici';

import { ClosedLoopResult, runClosedLoop } from '../load/closed-loop';
import { cpuTimeMs } from '../load/cpu-time';
import { timedRequest } from '../load/timed-request';
import { runOpenLoop } from '../load/open-loop';
import { distribution, Distribution } from '../report/stats';
import type { Target, TargetName } from '../targets/targets';
import { interleave } from './interleave';

/** Latency of one target over every round, in ms. */
export interface LatencyFigure {
  latencyMs: Distribution;
  ok: number;
  failed: number;
  /**
   * CPU time of the serving process per answered request, median round, in µs. At concurrency 1
   * the process does nothing else, so this is roughly the latency it would add on an idle
   * machine, whatever else is competing for the CPUs during the run.
   */
  cpuUsPerRequest?: number;
}

/** Open-loop latency of one target, with how far the generator fell behind its schedule. */
export interface OpenLoopFigure extends LatencyFigure {
  rate: number;
  maxGeneratorLagMs: number;
}

/**
 * Concurrency 1: one connection, each request sent when the previous answer is complete,
 * against the no-delay mock. The difference between targets is what each hop adds.
 */
export async function measureConcurrencyOne(
  targets: readonly Target[],
  rounds: number,
  seconds: number,
): Promise<Record<string, LatencyFigure>> {
  const runs = await interleave(targets, rounds, (target) =>
    withCpu(target, () =>
      runClosedLoop(target.request('fast'), {
        connections: 1,
        durationSeconds: seconds,
        keepLatencies: true,
      }),
    ),
  );

  return byTarget(runs, (results) => ({
    latencyMs: distribution(results.flatMap((result) => result.latenciesMs)),
    ok: sum(results.map((result) => result.ok)),
    failed: sum(results.map((result) => result.failed)),
    cpuUsPerRequest: distribution(results.map((result) => result.cpuUsPerRequest)).p50,
  }));
}

/**
 * A fixed request rate against the mock with a fixed delay (open loop): latency percentiles
 * under concurrent traffic, where queueing in the proxy shows up instead of slowing the load.
 */
export async function measureOpenLoop(
  targets: readonly Target[],
  rounds: number,
  seconds: number,
  rate: number,
): Promise<Record<string, OpenLoopFigure>> {
  const runs = await interleave(targets, rounds, (target) =>
    runOpenLoop([target.request('delayed')], {
      rate,
      durationSeconds: seconds,
      maxConnections: 256,
    }),
  );

  return byTarget(runs, (results) => ({
    rate,
    latencyMs: distribution(results.flatMap((result) => result.latenciesMs)),
    ok: sum(results.map((result) => result.ok)),
    failed: sum(results.map((result) => result.failed)),
    maxGeneratorLagMs: Math.max(...results.map((result) => result.maxLagMs)),
  }));
}

/**
 * Sparse traffic: one call at a time with a pause between calls (longer than the router's
 * short-lived caches, such as key health), as a quiet tenant sends them. Every process on the
 * path has gone idle between calls, so wake-ups and cache refreshes show here and not at
 * concurrency 1.
 */
export async function measureSparse(
  targets: readonly Target[],
  rounds: number,
  callsPerRound: number,
  pauseMs: number,
): Promise<Record<string, LatencyFigure>> {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  try {
    const runs = await interleave(targets, rounds, async (target) => {
      const latenciesMs: number[] = [];
      for (let call = 0; call < callsPerRound; call++) {
        await sleep(pauseMs);
        latenciesMs.push(await timedRequest(agent, target.request('fast')));
      }

      return latenciesMs;
    });

    return byTarget(runs, (results) => ({
      latencyMs: distribution(results.flat()),
      ok: results.flat().length,
      failed: 0,
    }));
  } finally {
    await agent.close();
  }
}

/** Throughput of one target at saturation, per round and overall. */
export interface ThroughputFigure {
  connections: number;
  rpsByRound: number[];
  /** The median round's requests per second. */
  rps: number;
  ok: number;
  failed: number;
  /** CPU time of the serving process per answered request, median round, in µs. */
  cpuUsPerRequest: number;
  /**
   * CPU time of the target's other processes per answered request (for the router: audit-log
   * ingesting the audit events, config, key-vault), median round, in µs. They share the
   * machine's CPUs with the gateway here; in production they would run elsewhere.
   */
  companionCpuUsPerRequest?: number;
}

/** Saturation: many connections in a closed loop against the no-delay mock. */
export async function measureThroughput(
  targets: readonly Target[],
  rounds: number,
  seconds: number,
  connections: number,
): Promise<Record<string, ThroughputFigure>> {
  const runs = await interleave(targets, rounds, (target) =>
    withCpu(target, () =>
      runClosedLoop(target.request('fast'), {
        connections,
        durationSeconds: seconds,
        keepLatencies: false,
      }),
    ),
  );

  return byTarget(runs, (results) => {
    const rpsByRound = results.map((result) => result.rps);

    return {
      connections,
      rpsByRound,
      rps: distribution(rpsByRound).p50,
      ok: sum(results.map((result) => result.ok)),
      failed: sum(results.map((result) => result.failed)),
      cpuUsPerRequest: distribution(results.map((result) => result.cpuUsPerRequest)).p50,
      companionCpuUsPerRequest: distribution(
        results.map((result) => result.companionCpuUsPerRequest),
      ).p50,
    };
  });
}

/** Runs `run` and adds the CPU time per answered request of the target's processes, in µs. */
async function withCpu(
  target: Target,
  run: () => Promise<ClosedLoopResult>,
): Promise<ClosedLoopResult & { cpuUsPerRequest: number; companionCpuUsPerRequest: number }> {
  const pids = [target.pid('fast')];
  const companions = target.companionPids?.() ?? [];
  const before = await Promise.all([...pids, ...companions].map((pid) => cpuTimeMs(pid)));
  const result = await run();
  const after = await Promise.all([...pids, ...companions].map((pid) => cpuTimeMs(pid)));
  const used = after.map((ms, index) => (ms ?? Number.NaN) - (before[index] ?? Number.NaN));
  const perRequest = (ms: number): number => (ms * 1000) / result.ok;

  return {
    ...result,
    cpuUsPerRequest: perRequest(used[0]),
    companionCpuUsPerRequest:
      companions.length === 0
        ? Number.NaN
        : perRequest(used.slice(1).reduce((total, ms) => total + ms, 0)),
  };
}

/** Turns per-target run lists into one figure per target name. */
export function byTarget<R, F>(
  runs: Map<TargetName, R[]>,
  summarise: (results: R[]) => F,
): Record<string, F> {
  const figures: Record<string, F> = {};
  for (const [name, results] of runs) figures[name] = summarise(results);

  return figures;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
