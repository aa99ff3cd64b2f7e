import type { BenchSettings } from '../bench-settings';
import type { HeldStreamsResult } from '../load/held-streams';
import type { ColdKeyFigure, WarmPathFigure } from '../scenarios/key-paths';
import type { LatencyFigure, OpenLoopFigure, ThroughputFigure } from '../scenarios/latency';
import type { ProfileFigure } from '../scenarios/profile';
import type { SoakFigure } from '../scenarios/soak';
import type { StreamingFigure } from '../scenarios/streaming';
import type { MachineInfo } from './machine';

/** Everything one run measured, as written to `bench-results/<stamp>.json`. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: BenchSettings;
  /** The targets measured, in the order of the first round. */
  targets: string[];
  /** What could not be measured, and why. */
  notes: string[];
  latencyC1: Record<string, LatencyFigure>;
  /** One call at a time, 300 ms apart. */
  sparse: Record<string, LatencyFigure>;
  openLoop: Record<string, OpenLoopFigure>;
  throughput: Record<string, ThroughputFigure>;
  streaming: Record<string, StreamingFigure>;
  heldStreams: Record<string, HeldStreamsResult>;
  /** The same with a large prompt per stream (`LARGE_PROMPT_KIB`): what a stream keeps of it. */
  heldStreamsLargePrompt?: Record<string, HeldStreamsResult>;
  warmPath?: WarmPathFigure;
  coldKey?: ColdKeyFigure;
  soak?: SoakFigure;
  profile?: ProfileFigure;
  comparisons: Comparisons;
  checks: TargetCheck[];
}

/** The run's figures as deltas and ratios against its own baselines. */
export interface Comparisons {
  /** L4 − L0 at concurrency 1, ms. */
  addedLatencyC1: { p50Ms: number; p99Ms: number };
  /** L2 − L0 at concurrency 1: what any Node hop costs here, ms. */
  bareHopLatencyC1: { p50Ms: number; p99Ms: number };
  /** L4 − L0 for sparse calls (300 ms apart), ms. */
  addedLatencySparse: { p50Ms: number; p99Ms: number };
  /** L4 − L0 at the open-loop rate against the delayed mock, ms. */
  addedLatencyOpenLoop: { p50Ms: number; p99Ms: number };
  throughput: { l4OverL2: number; l4OverPortkey: number; l2OverL0: number };
  /**
   * Serving-process CPU per request, L2 / L4 and Portkey / L4: the throughput ratio each would
   * have with a CPU of its own, steadier than wall-clock throughput on a shared machine.
   */
  cpuPerRequest: { l2OverL4: number; portkeyOverL4: number };
  streaming: { addedTtftP50Ms: number; addedGapP50Ms: number; addedGapP99Ms: number };
  /** Audit on minus audit off. */
  audit: { p50Ms: number; p99Ms: number; throughputOnOverOff: number };
}

/** One target of the issue, with what this run measured. */
export interface TargetCheck {
  target: string;
  limit: string;
  measured: string;
  /** null when it could not be measured, or not judged, in this run. */
  pass: boolean | null;
  /** Why a measured figure is not judged (e.g. a soak too short to show a trend). */
  notJudged?: string;
  /** How far off, when missed. */
  missedBy?: string;
}
