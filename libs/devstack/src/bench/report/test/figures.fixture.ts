import type { BenchResults } from '../bench-results';
import { distribution } from '../stats';

/** A run's figures before comparison, for the report's unit tests. */
export type Figures = Omit<BenchResults, 'comparisons' | 'checks'>;

function latency(p50: number, p99: number) {
  return { latencyMs: { ...distribution([p50]), p99 }, ok: 100, failed: 0 };
}

function throughput(rps: number) {
  return {
    connections: 32,
    rpsByRound: [rps],
    rps,
    ok: 1000,
    failed: 0,
    cpuUsPerRequest: 1e6 / rps,
  };
}

/** Figures of a small run: three targets at concurrency 1 and four at saturation. */
export function figures(): Figures {
  return {
    startedAt: '',
    finishedAt: '',
    machine: {
      cpus: 2,
      cpuModel: 'test',
      memoryGib: 1,
      node: 'v20',
      platform: 'linux-x64',
      commit: 'abc',
      dirty: false,
      loadAverageAtStart: 0,
    },
    settings: {} as Figures['settings'],
    targets: ['L0', 'L2', 'L4', 'portkey'],
    notes: [],
    latencyC1: { L0: latency(0.2, 0.5), L2: latency(0.4, 0.9), L4: latency(0.6, 2.5) },
    sparse: {},
    openLoop: {},
    throughput: {
      L0: throughput(8000),
      L2: throughput(3000),
      L4: throughput(2400),
      portkey: throughput(300),
    },
    streaming: {},
    heldStreams: {},
  };
}
