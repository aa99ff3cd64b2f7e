import type { FastifyReply } from 'fastify';

/** The headers of every streamed answer, whatever the route. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

const KEEP_ALIVE = ': keep-alive\n\n';

/** The SSE text ending a committed stream after an error body in the caller's shape. */
export type CommittedErrorEvents = (body: object) => string;

/**
 * Keeps a streaming call's client connection alive while nothing comes: after `intervalMs` of
 * silence it writes an SSE comment (`: keep-alive`), which SSE clients ignore, so proxies and
 * clients with idle timeouts do not give up during a long silent reasoning phase.
 *
 * If the silence comes before any provider has answered (keys being tried, a slow first byte),
 * the answer's status line is committed early: 200 with `early` headers (those that do not
 * depend on the key that ends up answering). From then on the call can only end with SSE
 * events: the route is told in a comment, and a failure becomes an error event.
 */
export class StreamKeepAlive {
  private timer?: NodeJS.Timeout;
  private lastWriteAt = Date.now();
  private committedEarly = false;
  private headersSent = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly early: Record<string, string>,
    private readonly intervalMs: number,
    /** An endpoint whose streams end failures with their own events (Responses) says how. */
    readonly errorEvents?: CommittedErrorEvents,
  ) {
    if (intervalMs > 0) this.timer = setInterval(() => this.tick(), Math.max(10, intervalMs / 2));
  }

  /** Whether the status line went out before the answer was known. */
  get committed(): boolean {
    return this.committedEarly;
  }

  /**
   * Sends the status line and headers of a streamed answer, unless the keep-alive already did;
   * returns false in that case (the headers it sent lacked the route).
   */
  open(headers: Record<string, string>): boolean {
    if (this.headersSent) return false;
    this.writeHead(headers);

    return true;
  }

  /** Notes that something was just written to the client. */
  touch(): void {
    this.lastWriteAt = Date.now();
  }

  /** Stops the keep-alive; the call is over. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const raw = this.reply.raw;
    // Over, or answered without the keep-alive (a plain error reply).
    if (raw.destroyed || raw.writableEnded || (raw.headersSent && !this.headersSent)) {
      return this.stop();
    }
    if (Date.now() - this.lastWriteAt < this.intervalMs) return;
    if (!this.headersSent) {
      this.committedEarly = true;
      this.writeHead(this.early);
    }
    raw.write(KEEP_ALIVE);
    this.touch();
  }

  private writeHead(headers: Record<string, string>): void {
    this.headersSent = true;
    this.reply.hijack();
    this.reply.raw.writeHead(200, { ...headers, ...SSE_HEADERS });
    this.touch();
  }
}
