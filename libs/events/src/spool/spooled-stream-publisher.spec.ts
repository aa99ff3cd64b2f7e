import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type Redis from 'ioredis';

import { createRedisClient } from '../redis-client';
import { PrivateRedis, silentLogger, waitFor } from '../test/stream-testing';
import { DiskSpool } from './disk-spool';
import { SpooledStreamPublisher } from './spooled-stream-publisher';

interface Ping {
  n: number;
}

// A private redis-server, so Redis can be stopped and started again.
describe(SpooledStreamPublisher.name, () => {
  const stream = 'test:spooled';
  let server: PrivateRedis;
  let redis: Redis;
  let dir: string;
  let publisher: SpooledStreamPublisher<Ping>;

  const start = async (
    maxBytes = 1_000_000,
    batching: { lingerMs?: number; batchSize?: number } = {},
  ): Promise<SpooledStreamPublisher<Ping>> => {
    const spool = new DiskSpool({ dir, maxBytes, logger: silentLogger });
    publisher = new SpooledStreamPublisher<Ping>({
      redis,
      stream,
      spool,
      retryMs: 100,
      logger: silentLogger,
      ...batching,
    });
    await publisher.start();

    return publisher;
  };

  /** What the stream holds; nothing while the connection is still coming back. */
  const published = async (): Promise<number[]> => {
    const entries = await redis.xrange(stream, '-', '+').catch(() => []);

    return entries.map(([, fields]) => (JSON.parse(fields[1]) as Ping).n);
  };

  beforeAll(async () => {
    server = await PrivateRedis.start();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xai-spooled-test-'));
    redis = createRedisClient(server.url, 'spooled-test');
    redis.on('error', () => undefined);
    await waitFor(() => (redis.status === 'ready' ? true : undefined));
    await redis.del(stream);
  });

  afterEach(async () => {
    await publisher?.stop();
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await server.kill();
  });

  it('publishes straight to the stream while Redis is up', async () => {
    await start();

    publisher.publish({ n: 1 });
    publisher.publish({ n: 2 });

    await waitFor(async () => ((await published()).length === 2 ? true : undefined));
    expect(await published()).toEqual([1, 2]);
    expect(publisher.stats().spoolBytes).toBe(0);
  });

  describe('with a linger window', () => {
    const pipelines = (): jest.SpyInstance => jest.spyOn(redis, 'pipeline');

    it('writes the events of the window together, in order, once it ends', async () => {
      await start(1_000_000, { lingerMs: 60 });
      const writes = pipelines();

      for (let n = 1; n <= 3; n++) {
        publisher.publish({ n });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await published()).toEqual([]);

      await waitFor(async () => ((await published()).length === 3 ? true : undefined));
      expect(await published()).toEqual([1, 2, 3]);
      expect(writes).toHaveBeenCalledTimes(1);
    });

    it('writes a full batch at once, without waiting for the window', async () => {
      await start(1_000_000, { lingerMs: 60_000, batchSize: 4 });

      for (let n = 1; n <= 4; n++) publisher.publish({ n });

      await waitFor(async () => ((await published()).length === 4 ? true : undefined));
      expect(await published()).toEqual([1, 2, 3, 4]);
    });

    it('writes what is waiting when it stops', async () => {
      await start(1_000_000, { lingerMs: 60_000 });

      publisher.publish({ n: 7 });
      await publisher.stop();

      expect(await published()).toEqual([7]);
    });
  });

  it('spools while Redis is down and replays everything once it is back', async () => {
    await start();
    await server.kill();
    await waitFor(() => (redis.status !== 'ready' ? true : undefined));

    for (let n = 1; n <= 50; n++) publisher.publish({ n });
    await waitFor(() =>
      publisher.stats().spoolBytes > 0 && publisher.stats().buffered === 0 ? true : undefined,
    );
    await server.restart();

    await waitFor(async () => ((await published()).length === 50 ? true : undefined), 10_000);
    expect((await published()).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    await waitFor(() => (publisher.stats().spoolBytes === 0 ? true : undefined));
    expect(publisher.stats().dropped).toBe(0);
  });

  it('stops accepting when Redis is down and the spool is full', async () => {
    await start(64 * 1024 + 512);
    await server.kill();
    await waitFor(() => (redis.status !== 'ready' ? true : undefined));
    const acceptingBefore = publisher.canAccept();

    for (let n = 0; n < 10; n++) publisher.publish({ n });
    await waitFor(() => (publisher.stats().buffered === 0 ? true : undefined));
    const big = 'x'.repeat(1_000);
    for (let n = 0; n < 200; n++) publisher.publish({ n, big } as Ping);
    await waitFor(() => (!publisher.canAccept() ? true : undefined));

    expect(acceptingBefore).toBe(true);
    expect(publisher.canAccept()).toBe(false);
    await server.restart();
    await waitFor(() => (publisher.canAccept() ? true : undefined), 10_000);
    await waitFor(() => (publisher.stats().buffered === 0 ? true : undefined), 10_000);
    expect(publisher.stats().dropped).toBe(0);
  });

  it('keeps most of the smallest spool usable: its reserve is at most a quarter of it', async () => {
    await start(64 * 1024);
    await server.kill();
    await waitFor(() => (redis.status !== 'ready' ? true : undefined));

    for (let n = 0; n < 20; n++) publisher.publish({ n });
    await waitFor(() => (publisher.stats().buffered === 0 ? true : undefined));

    expect(publisher.stats().spoolBytes).toBeGreaterThan(0);
    expect(publisher.canAccept()).toBe(true);
    await server.restart();
    await waitFor(() => (publisher.stats().spoolBytes === 0 ? true : undefined), 10_000);
  });

  it('counts what it drops once memory is full too, logging once per episode and no event', async () => {
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = {
      ...silentLogger,
      error: (message: string, fields?: Record<string, unknown>) =>
        errors.push({ message, fields }),
    };
    const spool = new DiskSpool({ dir, maxBytes: 64 * 1024, logger: silentLogger });
    publisher = new SpooledStreamPublisher<Ping>({
      redis,
      stream,
      spool,
      retryMs: 100,
      memoryBound: 5,
      logger,
    });
    await publisher.start();
    await server.kill();
    await waitFor(() => (redis.status !== 'ready' ? true : undefined));

    const marker = 'event-content-'.repeat(100);
    for (let n = 0; n < 200; n++) publisher.publish({ n, marker } as Ping);
    await waitFor(() => (publisher.stats().dropped > 100 ? true : undefined));
    await server.restart();
    await waitFor(() => (publisher.stats().buffered === 0 ? true : undefined), 10_000);

    const drops = errors.filter((line) => line.message.includes('dropped'));
    expect(drops.map((line) => line.message)).toEqual([
      'events are being dropped: Redis and the spool are both unavailable',
      'events were dropped while Redis and the spool were unavailable',
    ]);
    expect(drops[1].fields).toMatchObject({ dropped: publisher.stats().dropped });
    expect(JSON.stringify(errors)).not.toContain('event-content-');
  });

  it('drops expendable events first and, keeping essential ones, never an essential one', async () => {
    const spool = new DiskSpool({ dir, maxBytes: 64, logger: silentLogger });
    const events = new SpooledStreamPublisher<Ping & { refusal?: boolean }>({
      redis,
      stream,
      spool,
      retryMs: 100,
      memoryBound: 5,
      expendable: (event) => event.refusal === true,
      keepEssential: true,
      logger: silentLogger,
    });
    await events.start();
    await server.kill();
    await waitFor(() => (redis.status !== 'ready' ? true : undefined));

    // Calls that used a key, then many refused ones, then more that used a key.
    for (let n = 0; n < 3; n++) events.publish({ n });
    for (let n = 100; n < 150; n++) events.publish({ n, refusal: true });
    for (let n = 3; n < 10; n++) events.publish({ n });
    const whileDown = events.stats();
    await server.restart();
    // Written out of memory and replayed from the spool (what reached the spool goes second).
    const drained = (): true | undefined => {
      const { buffered, spoolBytes } = events.stats();

      return buffered === 0 && spoolBytes === 0 ? true : undefined;
    };
    await waitFor(drained, 10_000);
    const stored = await published();
    await events.stop();

    expect(whileDown.buffered).toBe(10);
    // Some may have gone through the spool, so the order is not asserted.
    expect(stored.filter((n) => n < 100).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(events.stats().dropped).toBe(50);
  });

  it('replays at start what a previous process left in the spool', async () => {
    const earlier = new DiskSpool({ dir, maxBytes: 1_000_000, logger: silentLogger });
    await earlier.open();
    await earlier.append([JSON.stringify({ n: 7 })]);
    await earlier.close();

    await start();

    await waitFor(async () => ((await published()).includes(7) ? true : undefined));
    expect(publisher.stats().replayed).toBe(1);
  });
});
