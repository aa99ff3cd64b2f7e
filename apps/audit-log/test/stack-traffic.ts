import { randomUUID } from 'node:crypto';

/** One call of the traffic loop: its marker (sent as the prompt) and what came back. */
export interface TrafficCall {
  marker: string;
  status: number;
  requestId: string | null;
}

/**
 * Chat completions sent by a few concurrent workers until stopped: every third one streamed,
 * each with a unique marker as its prompt, so a test can match what the provider saw to what
 * the router recorded. Bounded by `maxCalls` as well as by `stop()`.
 */
export class TrafficLoop {
  readonly calls: TrafficCall[] = [];
  private running = true;
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly gatewayUrl: string,
    private readonly key: string,
    private readonly model: string,
    concurrency: number,
    private readonly maxCalls = 100_000,
  ) {
    for (let worker = 0; worker < concurrency; worker++) this.workers.push(this.work());
  }

  /** How many calls have come back, and how many of them with 200. */
  counts(): { done: number; ok: number } {
    return { done: this.calls.length, ok: this.calls.filter((call) => call.status === 200).length };
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running && this.calls.length < this.maxCalls) {
      this.calls.push(await this.call(this.calls.length % 3 === 0));
    }
  }

  private async call(stream: boolean): Promise<TrafficCall> {
    const marker = `marker-${randomUUID()}`;
    try {
      const response = await fetch(`${this.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: this.model,
          messages: [{ role: 'user', content: marker }],
          ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();

      return { marker, status: response.status, requestId: response.headers.get('x-request-id') };
    } catch {
      return { marker, status: 0, requestId: null };
    }
  }
}
