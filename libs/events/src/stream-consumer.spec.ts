import Redis from 'ioredis';
import { z } from 'zod/v4';

import { DEAD_LETTER_FIELDS } from './consumer-group';
import { StreamConsumer } from './stream-consumer';
import type { StreamConsumerOptions } from './stream-consumer-options';
import { parseEntries } from './stream-entry';
import { StreamPublisher } from './stream-publisher';
import { UnrecordableEventError } from './unrecordable-event';
import {
  deferred,
  pendingCount,
  SHARED_REDIS_URL,
  silentLogger,
  uniqueName,
  waitFor,
} from './test/stream-testing';

const PingSchema = z.object({ n: z.number().int() });
type Ping = z.infer<typeof PingSchema>;

describe(StreamConsumer.name, () => {
  let redis: Redis;
  let stream: string;
  let publisher: StreamPublisher<Ping>;
  const group = 'test-group';
  const consumers: StreamConsumer<Ping>[] = [];

  const consumer = (overrides: Partial<StreamConsumerOptions<Ping>>): StreamConsumer<Ping> => {
    const created = new StreamConsumer<Ping>({
      redis,
      stream,
      group,
      consumer: 'c1',
      schema: PingSchema,
      handle: async () => undefined,
      blockMs: 200,
      retryBackoff: { initialMs: 100, maxMs: 400 },
      redisBackoff: { initialMs: 50, maxMs: 200 },
      logger: silentLogger,
      ...overrides,
    });
    consumers.push(created);

    return created;
  };

  beforeAll(() => {
    redis = new Redis(SHARED_REDIS_URL);
  });

  beforeEach(() => {
    stream = uniqueName('test:events:consumer');
    publisher = new StreamPublisher<Ping>(redis, stream);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((started) => started.stop()));
    await redis.del(stream, `${stream}:dead`);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('handles entries published before the group existed', async () => {
    const seen: number[] = [];
    await publisher.publish({ n: 1 });
    await publisher.publish({ n: 2 });

    consumer({ handle: async (event) => void seen.push(event.n) }).start();

    await waitFor(() => (seen.length === 2 ? true : undefined), 5_000, 'two events');
    expect(seen).toEqual([1, 2]);
  });

  it('acknowledges an entry only after handle resolved', async () => {
    const gate = deferred();
    const started = deferred();
    consumer({
      handle: async () => {
        started.resolve();
        await gate.promise;
      },
    }).start();

    await publisher.publish({ n: 1 });
    await started.promise;
    const pendingWhileHandling = await pendingCount(redis, stream, group);
    gate.resolve();

    expect(pendingWhileHandling).toBe(1);
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
  });

  it('hands a read over to handleBatch at once, and retries its events one by one when it fails', async () => {
    const batches: number[][] = [];
    const singles: number[] = [];
    let failures = 1;
    await redis.xadd(stream, '*', 'event', '{"n":"not a number"}');
    for (const n of [1, 2, 3]) await publisher.publish({ n });

    consumer({
      handleBatch: async (events) => {
        if (failures-- > 0) throw new Error('database down');
        batches.push(events.map(({ event }) => event.n));
      },
      handle: async (event) => void singles.push(event.n),
    }).start();

    await waitFor(() => (singles.length === 3 ? true : undefined), 5_000, 'the events');
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
    expect(batches).toEqual([]);
    expect(singles).toEqual([1, 2, 3]);
    expect(await redis.xlen(`${stream}:dead`)).toBe(1);
  });

  it('gathers the entries that arrive while it waits after a read that was not full', async () => {
    const batches: number[][] = [];
    const first = deferred();
    consumer({
      gatherMs: 400,
      batchSize: 10,
      handleBatch: async (events) => {
        batches.push(events.map(({ event }) => event.n));
        first.resolve();
      },
    }).start();
    await publisher.publish({ n: 1 });
    await first.promise;

    for (const n of [2, 3, 4]) await publisher.publish({ n });

    await waitFor(() => (batches.flat().length === 4 ? true : undefined), 5_000, 'the events');
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('stops at once while it waits to gather entries', async () => {
    const handled = deferred();
    const running = consumer({ gatherMs: 60_000, handle: async () => handled.resolve() });
    running.start();
    await publisher.publish({ n: 1 });
    await handled.promise;

    const stoppedAt = Date.now();
    await running.stop();

    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(await pendingCount(redis, stream, group)).toBe(0);
  });

  it('records the good events of a failed batch and dead-letters only the unrecordable one', async () => {
    const recorded: number[] = [];
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) ids.push(await publisher.publish({ n }));

    consumer({
      // Like a database refusing the whole transaction because of event 3.
      handleBatch: async (events) => {
        if (events.some(({ event }) => event.n === 3)) throw new Error('integer out of range');
        recorded.push(...events.map(({ event }) => event.n));
      },
      handle: async (event) => {
        if (event.n === 3) throw new UnrecordableEventError('usage out of range');
        recorded.push(event.n);
      },
    }).start();

    await waitFor(async () => ((await redis.xlen(`${stream}:dead`)) === 1 ? true : undefined));
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
    const dead = parseEntries(await redis.xrange(`${stream}:dead`, '-', '+'));
    expect(recorded.sort()).toEqual([1, 2, 4]);
    expect(fieldOf(dead[0].fields, DEAD_LETTER_FIELDS.sourceEntryId)).toBe(ids[2]);
    expect(fieldOf(dead[0].fields, DEAD_LETTER_FIELDS.reason)).toBe('usage out of range');
    expect(fieldOf(dead[0].fields, 'event')).toBe('{"n":3}');
  });

  it('retries a failing handle with backoff until it succeeds', async () => {
    const calls: { entryId: string; at: number }[] = [];
    consumer({
      handle: async (_event, entryId) => {
        calls.push({ entryId, at: Date.now() });
        if (calls.length < 3) throw new Error('database unavailable');
      },
    }).start();

    const entryId = await publisher.publish({ n: 7 });

    await waitFor(() => (calls.length === 3 ? true : undefined), 5_000, 'three attempts');
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
    expect(calls.map((call) => call.entryId)).toEqual([entryId, entryId, entryId]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(90);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(190);
  });

  it('keeps handling new entries while a failing one waits for its retry', async () => {
    const handled: number[] = [];
    let poisonAttempts = 0;
    consumer({
      retryBackoff: { initialMs: 60_000, maxMs: 60_000 },
      handle: async (event) => {
        if (event.n === 0) {
          poisonAttempts += 1;
          throw new Error('not yet');
        }
        handled.push(event.n);
      },
    }).start();

    await publisher.publish({ n: 0 });
    await waitFor(() => (poisonAttempts === 1 ? true : undefined));
    await publisher.publish({ n: 1 });

    await waitFor(() => (handled.includes(1) ? true : undefined), 5_000, 'the later event');
    expect(poisonAttempts).toBe(1);
    expect(await pendingCount(redis, stream, group)).toBe(1);
  });

  it('handles its own pending entries first when it starts', async () => {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    await publisher.publish({ n: 1 });
    await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', 10, 'STREAMS', stream, '>');
    await publisher.publish({ n: 2 });
    const seen: number[] = [];

    consumer({ reclaimIdleMs: 600_000, handle: async (event) => void seen.push(event.n) }).start();

    await waitFor(() => (seen.length === 2 ? true : undefined), 5_000, 'both events');
    expect(seen).toEqual([1, 2]);
  });

  it('reclaims the entries a killed consumer left pending', async () => {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    const ids = [
      await publisher.publish({ n: 1 }),
      await publisher.publish({ n: 2 }),
      await publisher.publish({ n: 3 }),
    ];
    // A consumer that read a batch and died before acknowledging anything.
    await redis.xreadgroup('GROUP', group, 'killed', 'COUNT', 10, 'STREAMS', stream, '>');
    const seen: string[] = [];

    consumer({
      consumer: 'survivor',
      reclaimIdleMs: 200,
      handle: async (_event, entryId) => void seen.push(entryId),
    }).start();

    await waitFor(() => (seen.length === 3 ? true : undefined), 5_000, 'the reclaimed entries');
    expect(seen).toEqual(ids);
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
  });

  it('moves an invalid entry to the dead-letter stream and acknowledges it', async () => {
    const seen: number[] = [];
    const badId = await redis.xadd(stream, '*', 'event', '{"n":"one"}');
    const notJsonId = await redis.xadd(stream, '*', 'event', 'not json');
    await publisher.publish({ n: 3 });

    consumer({ handle: async (event) => void seen.push(event.n) }).start();

    await waitFor(() => (seen.length === 1 ? true : undefined), 5_000, 'the valid event');
    const dead = parseEntries(await redis.xrange(`${stream}:dead`, '-', '+'));
    expect(dead.map((entry) => fieldOf(entry.fields, DEAD_LETTER_FIELDS.sourceEntryId))).toEqual([
      badId,
      notJsonId,
    ]);
    expect(fieldOf(dead[0].fields, 'event')).toBe('{"n":"one"}');
    expect(fieldOf(dead[0].fields, DEAD_LETTER_FIELDS.reason)).toContain('n:');
    expect(fieldOf(dead[1].fields, DEAD_LETTER_FIELDS.reason)).toContain('not valid JSON');
    expect(seen).toEqual([3]);
    await waitFor(async () =>
      (await pendingCount(redis, stream, group)) === 0 ? true : undefined,
    );
  });

  it('trims acknowledged entries, never one still pending, and forgets idle consumers', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push(await publisher.publish({ n }));
    await redis.xgroup('CREATE', stream, group, '0');
    await redis.xgroup('CREATECONSUMER', stream, group, 'ghost');
    const seen = new Set<number>();

    consumer({
      handle: async (event) => {
        seen.add(event.n);
        if (event.n === 3) throw new Error('not yet');
      },
      reclaimIntervalMs: 100,
      trimAcknowledged: true,
      forgetConsumersIdleMs: 50,
    }).start();

    await waitFor(async () => ((await redis.xlen(stream)) === 3 ? true : undefined), 5_000);
    const left = parseEntries(await redis.xrange(stream, '-', '+')).map((entry) => entry.id);
    const consumers = (await redis.xinfo('CONSUMERS', stream, group)) as string[][];
    expect(left).toEqual(ids.slice(2));
    expect(consumers.map((fields) => fields[1])).toEqual(['c1']);
  });

  it('never trims entries a group has not been handed yet', async () => {
    await redis.xgroup('CREATE', stream, 'slow-group', '0', 'MKSTREAM');
    for (const n of [1, 2, 3]) await publisher.publish({ n });
    const seen: number[] = [];

    consumer({
      handle: async (event) => void seen.push(event.n),
      reclaimIntervalMs: 100,
      trimAcknowledged: true,
    }).start();

    await waitFor(() => (seen.length === 3 ? true : undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await redis.xlen(stream)).toBe(3);
  });

  it('finishes the batch in flight on stop and reads nothing after', async () => {
    const gate = deferred();
    const started = deferred();
    const running = consumer({
      handle: async () => {
        started.resolve();
        await gate.promise;
      },
    });
    running.start();
    await publisher.publish({ n: 1 });
    await started.promise;

    const stopped = running.stop();
    gate.resolve();
    await stopped;
    await publisher.publish({ n: 2 });

    expect(running.isRunning()).toBe(false);
    expect(await pendingCount(redis, stream, group)).toBe(0);
    const undelivered = await redis.xreadgroup('GROUP', group, 'other', 'STREAMS', stream, '>');
    expect(JSON.stringify(undelivered)).toContain('{\\"n\\":2}');
  });

  it('recreates the group and resumes when the stream is deleted', async () => {
    const seen: number[] = [];
    consumer({ handle: async (event) => void seen.push(event.n) }).start();
    await publisher.publish({ n: 1 });
    await waitFor(() => (seen.length === 1 ? true : undefined));

    await redis.del(stream);
    await publisher.publish({ n: 2 });

    await waitFor(() => (seen.length === 2 ? true : undefined), 5_000, 'the event after deletion');
    expect(seen).toEqual([1, 2]);
  });
});

function fieldOf(fields: string[] | null, name: string): string | undefined {
  const index = (fields ?? []).findIndex((field, position) => position % 2 === 0 && field === name);

  return index >= 0 ? fields?.[index + 1] : undefined;
}
