import type { FastifyReply } from 'fastify';

/**
 * The life of one call: aborted as soon as the client goes away, or when the total deadline
 * (retries and streaming included) passes. Which of the two happened decides the answer: none
 * for a client that left, a 504 (or an error event) when the deadline passed.
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private readonly timer?: NodeJS.Timeout;
  private clientLeft = false;
  private expired = false;

  constructor(
    private readonly reply: FastifyReply,
    readonly totalMs: number,
  ) {
    reply.raw.on('close', this.onClose);
    // The client may have gone before the call began (right after sending its body, say):
    // then nothing is called upstream, and no provider key is blamed for what follows.
    if (reply.raw.destroyed) this.onClose();
    if (totalMs > 0 && !this.clientLeft) {
      this.timer = setTimeout(() => {
        this.expired = true;
        this.controller.abort(new Error(`total deadline of ${totalMs} ms passed`));
      }, totalMs);
    }
  }

  /** Aborts every upstream call of this request. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The client went away before the answer was complete. */
  get clientGone(): boolean {
    return this.clientLeft;
  }

  /** The total deadline passed. */
  get timedOut(): boolean {
    return this.expired && !this.clientLeft;
  }

  /** Stops watching (the call is over). */
  dispose(): void {
    clearTimeout(this.timer);
    this.reply.raw.off('close', this.onClose);
  }

  private readonly onClose = (): void => {
    if (this.reply.raw.writableFinished) return;
    this.clientLeft = true;
    this.controller.abort(new Error('client closed the connection'));
  };
}
