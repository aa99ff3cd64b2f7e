import type Redis from 'ioredis';

/** The one field a stream entry carries: the event as JSON. */
export const EVENT_FIELD = 'event';

/**
 * Appends events to one Redis stream. The stream is never trimmed here: consumers acknowledge,
 * and retention is a separate, explicit job, so no unacknowledged entry is ever cut.
 */
export class StreamPublisher<E> {
  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
  ) {}

  /** Appends one event; resolves to the entry id Redis assigned. */
  async publish(event: E): Promise<string> {
    const id = await this.redis.xadd(this.stream, '*', EVENT_FIELD, JSON.stringify(event));

    return id ?? '';
  }
}
