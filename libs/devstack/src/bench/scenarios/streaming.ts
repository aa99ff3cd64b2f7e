import { Agent } from 'undici';

import { runClosedLoop } from '../load/closed-loop';
import { holdStreams, HeldStreamsResult } from '../load/held-streams';
import { probeStream, StreamObservation } from '../load/stream-probe';
import { distribution, Distribution, mean } from '../report/stats';
import { withPromptOf } from '../targets/bench-models';
import type { Target } from '../targets/targets';
import { byTarget } from './latency';
import { interleave } from './interleave';

/** Streams of one target seen from the client, over every round. */
export interface StreamingFigure {
  streams: number;
  errors: number;
  ttftMs: Distribution;
  gapMs: Distribution;
  /** Mean SSE events per answer, and mean separate arrivals of them. */
  eventsPerStream: number;
  arrivalsPerStream: number;
  /** Share of events that arrived together with another one: 1 − arrivals / events. */
  mergedShare: number;
  /** Answers in which at least two events arrived together. */
  streamsWithBursts: number;
  /** Arrivals carrying more than one event, over all answers. */
  bursts: number;
  firstError?: string;
}

/**
 * Streams one at a time from the paced stream mock through each target. Time to first token
 * and the gaps between events are compared with the direct stream (L0); a path that batches
 * chunks shows fewer arrivals than events, and more bursts than L0.
 */
export async function measureStreaming(
  targets: readonly Target[],
  rounds: number,
  streamsPerRound: number,
  chunkDelayMs: number,
): Promise<Record<string, StreamingFigure>> {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const mergeWithinMs = Math.max(0.5, chunkDelayMs / 4);
  try {
    const runs = await interleave(targets, rounds, async (target) => {
      const observations: StreamObservation[] = [];
      for (let index = 0; index < streamsPerRound; index++) {
        observations.push(await probeStream(agent, target.request('stream'), mergeWithinMs));
      }

      return observations;
    });

    return byTarget(runs, (results) => summarise(results.flat()));
  } finally {
    await agent.close();
  }
}

function summarise(observations: StreamObservation[]): StreamingFigure {
  const good = observations.filter((item) => !item.error && item.status === 200);
  const failed = observations.filter((item) => item.error || item.status !== 200);

  return {
    streams: observations.length,
    errors: failed.length,
    ttftMs: distribution(good.map((item) => item.ttftMs)),
    gapMs: distribution(good.flatMap((item) => item.gapsMs)),
    eventsPerStream: mean(good.map((item) => item.events)),
    arrivalsPerStream: mean(good.map((item) => item.arrivals)),
    mergedShare: 1 - sum(good.map((item) => item.arrivals)) / sum(good.map((item) => item.events)),
    streamsWithBursts: good.filter((item) => item.bursts > 0).length,
    bursts: good.reduce((total, item) => total + item.bursts, 0),
    firstError: failed[0] ? (failed[0].error ?? `status ${failed[0].status}`) : undefined,
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** How {@link measureHeldStreams} holds streams. */
export interface HeldStreamsRun {
  streams: number;
  /** How long the held streams last, in s. */
  holdSeconds: number;
  /** Each stream's prompt, in KiB, when set. */
  promptKib?: number;
  /** Restarts the serving process of a target. */
  restart(target: Target): Promise<void>;
}

/**
 * Memory per concurrent stream of each target's serving process. Each target is restarted and
 * warmed up just before its own streams, so each is measured in the same state. Restarted and
 * warmed up together, the one measured second sat idle through the first one's hold, long
 * enough for V8 to shrink its young generation (32 MiB to 1 MiB) and compact its old space;
 * the burst then grew them back: about 35 KiB per stream that the first target never paid.
 */
export async function measureHeldStreams(
  targets: readonly Target[],
  run: HeldStreamsRun,
): Promise<Record<string, HeldStreamsResult>> {
  const figures: Record<string, HeldStreamsResult> = {};
  for (const target of targets) {
    await run.restart(target);
    await warmUpStreams(target);
    const request = target.request('hold');
    if (run.promptKib !== undefined) request.body = withPromptOf(request.body, run.promptKib);
    figures[target.name] = await holdStreams(request, {
      streams: run.streams,
      batch: 100,
      pid: target.pid('hold'),
      timeoutMs: (run.holdSeconds + 30) * 1000,
    });
  }

  return figures;
}

/** The same short run of streams through each target, before its memory is measured. */
async function warmUpStreams(target: Target): Promise<void> {
  await runClosedLoop(target.request('stream'), {
    connections: 8,
    durationSeconds: 2,
    keepLatencies: false,
  });
}
