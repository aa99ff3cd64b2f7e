/** Every knob of one benchmark run; `parseBenchArgs` fills them from the command line. */
export interface BenchSettings {
  /** Rounds of the interleaved measurements; each round visits every target once. */
  rounds: number;
  /** Seconds per target per round at concurrency 1. */
  latencySeconds: number;
  /** Seconds per target per round at saturation. */
  throughputSeconds: number;
  /** Connections of the saturation runs. */
  connections: number;
  /** Requests per second of the open-loop latency runs (against the delayed mock). */
  openLoopRate: number;
  /** Seconds per target per round of the open-loop runs. */
  openLoopSeconds: number;
  /** Streams per target per round of the streaming runs (one at a time). */
  streamsPerRound: number;
  /** Streams held open at once for the memory figure. */
  heldStreams: number;
  /** Minutes of the soak (RSS growth). */
  soakMinutes: number;
  /** Requests per second during the soak (half streamed, half not). */
  soakRate: number;
  /** Provider keys opened cold (first use after a restart) for the cold-key figure. */
  coldKeys: number;
  /** The delayed mock's wait before its first byte, in ms. */
  upstreamDelayMs: number;
  /** The stream mock's wait between chunks, in ms. */
  chunkDelayMs: number;
  /** The wait between chunks of held streams, in ms (keeps them open long enough to measure). */
  holdChunkDelayMs: number;
  /** Also measure the Portkey gateway. */
  withPeer: boolean;
  /** Take a CPU profile of the gateway under load. */
  profile: boolean;
  profileSeconds: number;
  /** Where the JSON and Markdown results are written. */
  outDir: string;
}

/** The quick run: about ten minutes on a two-core machine, soak included. */
export const QUICK_SETTINGS: BenchSettings = {
  rounds: 5,
  latencySeconds: 3,
  throughputSeconds: 4,
  connections: 32,
  openLoopRate: 200,
  openLoopSeconds: 3,
  streamsPerRound: 12,
  heldStreams: 1000,
  soakMinutes: 1,
  soakRate: 100,
  coldKeys: 10,
  upstreamDelayMs: 20,
  chunkDelayMs: 10,
  holdChunkDelayMs: 1500,
  withPeer: true,
  profile: true,
  profileSeconds: 15,
  outDir: 'bench-results',
};
