import { Dispatcher } from 'undici';

import type { BenchRequest } from '../targets/targets';

/** What one streamed answer looked like from the client's side. */
export interface StreamObservation {
  status: number;
  /** From sending the request to the first complete SSE event, in ms. */
  ttftMs: number;
  /** Gaps between consecutive SSE events, in ms. */
  gapsMs: number[];
  /** SSE events (`data:` frames) received. */
  events: number;
  /** Separate arrivals: reads that completed at least one event, closer ones merged. */
  arrivals: number;
  /** Arrivals that carried more than one event: chunks the path delivered together. */
  bursts: number;
  error?: string;
}

/**
 * Sends one streamed request and timestamps every SSE event as it arrives. Events completed by
 * the same read (or reads closer together than `mergeWithinMs`) count as one arrival, so an
 * answer whose chunks were batched on the way shows fewer arrivals than events.
 */
export async function probeStream(
  dispatcher: Dispatcher,
  request: BenchRequest,
  mergeWithinMs: number,
): Promise<StreamObservation> {
  const sentAt = performance.now();
  const observation: StreamObservation = {
    status: 0,
    ttftMs: Number.NaN,
    gapsMs: [],
    events: 0,
    arrivals: 0,
    bursts: 0,
  };
  try {
    const response = await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    observation.status = response.statusCode;
    await readEvents(response.body, sentAt, mergeWithinMs, observation);
  } catch (error) {
    observation.error = error instanceof Error ? error.message : String(error);
  }

  return observation;
}

function readEvents(
  body: Dispatcher.ResponseData['body'],
  sentAt: number,
  mergeWithinMs: number,
  observation: StreamObservation,
): Promise<void> {
  let pending = '';
  let lastEventAt = Number.NaN;
  let lastArrivalAt = Number.NEGATIVE_INFINITY;
  let eventsInArrival = 0;

  return new Promise((resolve, reject) => {
    body.setEncoding('utf8');
    body.on('data', (text: string) => {
      const now = performance.now();
      pending += text;
      const frames = pending.split('\n\n');
      pending = frames.pop() ?? '';
      const completed = frames.filter((frame) => frame.includes('data:')).length;
      if (completed === 0) return;
      if (now - lastArrivalAt > mergeWithinMs) {
        observation.arrivals++;
        eventsInArrival = 0;
      }
      const before = eventsInArrival;
      eventsInArrival += completed;
      if (before <= 1 && eventsInArrival > 1) observation.bursts++;
      lastArrivalAt = now;
      for (let index = 0; index < completed; index++) {
        if (observation.events === 0) observation.ttftMs = now - sentAt;
        else observation.gapsMs.push(now - lastEventAt);
        observation.events++;
        lastEventAt = now;
      }
    });
    body.once('end', () => resolve());
    body.once('error', reject);
  });
}
