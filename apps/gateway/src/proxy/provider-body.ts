import { KnownSecretFilter, SecretScrubber, SseEvent, SseParser } from '@xai/providers';

import { DestroyableBody, IdleLimits, IdleTimeoutError, toBuffer } from './idle-limits';

const DONE: IteratorResult<Buffer> = { done: true, value: undefined };

/** The start of an answer's body, read to judge it; the body still relays it. */
export interface BodyHead {
  /** At most the limit's worth of the body, as text. */
  text: string;
  /** Whether the body ended within the limit (nothing is left unread upstream). */
  complete: boolean;
}

/**
 * A provider's answer body, read once, in one pass, whatever is done with it: the gateway may
 * look at its start to judge the answer (an error body, a stream's first event) and then relay
 * it whole, the bytes it looked at included; every chunk waits within the silence limits (a
 * longer one for the first chunk, so a model's silent reasoning phase is not cut as a stalled
 * stream); and the bytes relayed have the attempt's own secret removed, in every form
 * ({@link SecretScrubber.stream}), also when split across chunks.
 *
 * One object and one timer per answer, whatever its length: a stream held open for minutes
 * costs what its socket costs, not a chain of iterators and a timer per chunk.
 */
export class ProviderBody implements DestroyableBody, AsyncIterator<Buffer> {
  private iterator: AsyncIterator<unknown> | undefined;
  /** Read to judge the answer, not yet relayed. */
  private held: Buffer[] = [];
  private filter: KnownSecretFilter | undefined;
  private arrived = false;
  private ended = false;
  private finished = false;
  /** Fails the read now waiting (set only while one is). */
  private cut: ((error: Error) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerMs = 0;

  constructor(
    private readonly source: DestroyableBody,
    private readonly limits: IdleLimits,
    private readonly scrub?: SecretScrubber,
  ) {}

  /**
   * Reads up to the first whole event of an event stream, keeping what it read for the relay.
   * Undefined when the stream ended, or ran past `maxBytes`, before a whole event, or when the
   * bytes are not an event stream the parser can read (the relay reports that, not this peek).
   */
  async firstEvent(maxBytes: number): Promise<SseEvent | undefined> {
    const parser = new SseParser();
    let size = 0;
    while (size < maxBytes) {
      const chunk = await this.pull();
      if (chunk === null) return eventOf(() => parser.end()) ?? undefined;
      this.held.push(chunk);
      size += chunk.length;
      const event = eventOf(() => parser.push(chunk));
      if (event !== null) return event;
    }

    return undefined;
  }

  /** Reads up to `limit` bytes of the body (an error's text), keeping them for the relay. */
  async head(limit: number): Promise<BodyHead> {
    let size = 0;
    while (size < limit) {
      const chunk = await this.pull();
      if (chunk === null) break;
      this.held.push(chunk);
      size += chunk.length;
    }
    const text = Buffer.concat(this.held).subarray(0, limit).toString('utf8');

    return { text, complete: this.ended };
  }

  /** Reads the rest of the body, keeping it for the relay; a silence or a break throws. */
  async readWhole(): Promise<void> {
    for (let chunk = await this.pull(); chunk !== null; chunk = await this.pull()) {
      this.held.push(chunk);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  /** The next chunk to relay: what was read to judge the answer first, then the rest. */
  async next(): Promise<IteratorResult<Buffer>> {
    while (!this.finished) {
      const raw = this.held.shift() ?? (await this.pull());
      if (raw === null) {
        this.finished = true;
        const rest = this.filter?.end();

        return rest && rest.length > 0 ? { done: false, value: rest } : DONE;
      }
      const out = this.filterOf()?.push(raw) ?? raw;
      if (out.length > 0) return { done: false, value: out };
    }

    return DONE;
  }

  /** A relay stopped reading (the client left): the provider's body is let go. */
  async return(): Promise<IteratorResult<Buffer>> {
    this.finished = true;
    this.stopTimer();
    await this.iterator?.return?.();

    return DONE;
  }

  destroy(error?: Error): void {
    this.stopTimer();
    this.source.destroy(error);
  }

  /** The next chunk from the provider, null at the end; a silence past the limit throws. */
  private async pull(): Promise<Buffer | null> {
    if (this.ended) return null;
    this.iterator ??= this.source[Symbol.asyncIterator]();
    const limitMs = this.arrived ? this.limits.idleMs : this.limits.firstMs;
    let next: IteratorResult<unknown>;
    try {
      if (limitMs <= 0) {
        next = await this.iterator.next();
      } else {
        const read = this.iterator.next();
        this.arm(limitMs);
        // Not a race with a promise kept for the body's life: each read would leave a reaction
        // on it, a leak as long as the stream.
        next = await new Promise<IteratorResult<unknown>>((resolve, reject) => {
          this.cut = reject;
          read.then(resolve, reject);
        });
      }
    } catch (error) {
      this.stopTimer();
      throw error;
    } finally {
      this.cut = undefined;
    }
    if (next.done) {
      this.ended = true;
      this.stopTimer();

      return null;
    }
    this.arrived = true;

    return toBuffer(next.value);
  }

  /** Starts (or restarts) the one timer of this body for a read now waiting. */
  private arm(limitMs: number): void {
    if (this.timer && this.timerMs === limitMs) {
      this.timer.refresh();

      return;
    }
    clearTimeout(this.timer);
    this.timerMs = limitMs;
    this.timer = setTimeout(() => this.onSilence(), limitMs);
  }

  /**
   * The timer ran out. Only a read still waiting is cut: between reads (the relay writing to a
   * slow client) the provider is not the one being waited for.
   */
  private onSilence(): void {
    const cut = this.cut;
    if (!cut) return;
    const error = new IdleTimeoutError(!this.arrived, this.timerMs);
    // The read pending on the destroyed body rejects too; the wait has already failed then.
    this.source.destroy(error);
    cut(error);
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private filterOf(): KnownSecretFilter | undefined {
    if (!this.filter && this.scrub) this.filter = this.scrub.stream();

    return this.filter;
  }
}

/**
 * The first event parsed, null when none is complete yet, undefined when the bytes are not an
 * event stream the parser can read.
 */
function eventOf(parse: () => SseEvent[]): SseEvent | null | undefined {
  try {
    return parse()[0] ?? null;
  } catch {
    return undefined;
  }
}
