import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

import { RecordedRequest, RequestRecorder } from '../recording/request-recorder';

/**
 * One request being answered. Watches the connection so that a client that goes away before
 * the answer is complete is recorded as an abort (with the time), and so that waits end early
 * instead of writing to a closed socket. A cut the mock makes on purpose is not an abort.
 */
export class MockExchange {
  private clientGone = false;
  private cutByMock = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly reply: FastifyReply,
    readonly record: RecordedRequest,
    private readonly recorder: RequestRecorder,
  ) {
    reply.raw.once('close', () => this.onClose());
  }

  /** False once the client has gone away. */
  get connected(): boolean {
    return !this.clientGone;
  }

  /** The Fastify reply, for ordinary (non-streamed) answers. */
  get fastifyReply(): FastifyReply {
    return this.reply;
  }

  /** Waits `ms` (less if the client leaves); resolves to whether the client is still there. */
  pause(ms: number): Promise<boolean> {
    if (ms <= 0 || this.clientGone) return Promise.resolve(!this.clientGone);

    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve(true);
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve(false);
      };
    });
  }

  /** Takes the raw response over from Fastify, for streaming or for giving up on a client. */
  takeOver(): ServerResponse {
    if (!this.reply.sent) this.reply.hijack();

    return this.reply.raw;
  }

  /** Destroys the connection on purpose, as a network failure would. */
  cut(): void {
    this.cutByMock = true;
    this.takeOver().destroy();
  }

  private onClose(): void {
    if (this.reply.raw.writableFinished || this.cutByMock) return;
    this.clientGone = true;
    this.recorder.markAborted(this.record);
    this.wakeUp?.();
  }
}
