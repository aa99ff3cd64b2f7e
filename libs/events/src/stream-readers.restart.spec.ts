import Redis from 'ioredis';
import { z } from 'zod/v4';

import { createRedisClient } from './redis-client';
import { StreamConsumer } from './stream-consumer';
import { StreamPublisher } from './stream-publisher';
import { StreamTail } from './stream-tail';
import { PrivateRedis, silentLogger, waitFor } from './test/stream-testing';

const PingSchema = z.object({ n: z.number().int() });
type Ping = z.infer<typeof PingSchema>;

// Runs against a private redis-server, so that Redis itself can be killed and restarted.
describe('stream readers across a Redis restart', () => {
  const stream = 'test:restart';
  let server: PrivateRedis;
  let redis: Redis;
  let publisher: StreamPublisher<Ping>;

  beforeAll(async () => {
    server = await PrivateRedis.start();
  });

  beforeEach(() => {
    redis = createRedisClient(server.url, 'restart-test');
    redis.on('error', () => undefined);
    publisher = new StreamPublisher<Ping>(redis, stream);
  });

  afterEach(async () => {
    redis.disconnect();
  });

  afterAll(async () => {
    await server.kill();
  });

  it('StreamConsumer reconnects, recreates its group and resumes', async () => {
    const seen: number[] = [];
    const consumer = new StreamConsumer<Ping>({
      redis,
      stream,
      group: 'g',
      consumer: 'c',
      schema: PingSchema,
      handle: async (event) => void seen.push(event.n),
      blockMs: 200,
      redisBackoff: { initialMs: 50, maxMs: 200 },
      logger: silentLogger,
    });
    consumer.start();
    await waitFor(() => publisher.publish({ n: 1 }).catch(() => undefined));
    await waitFor(() => (seen.length === 1 ? true : undefined));

    await server.kill();
    await server.restart();
    await waitFor(() => publisher.publish({ n: 2 }).catch(() => undefined), 10_000, 'publish');

    await waitFor(() => (seen.length === 2 ? true : undefined), 10_000, 'the event after restart');
    await consumer.stop();
    expect(seen).toEqual([1, 2]);
  });

  it('StreamTail reports a gap after Redis restarted and keeps following', async () => {
    const seen: number[] = [];
    let gaps = 0;
    const tail = new StreamTail<Ping>({
      redis,
      stream,
      schema: PingSchema,
      onEvent: (event) => void seen.push(event.n),
      onGap: () => void (gaps += 1),
      blockMs: 200,
      redisBackoff: { initialMs: 50, maxMs: 200 },
      logger: silentLogger,
    });
    tail.start();
    await waitFor(async () => {
      await publisher.publish({ n: 1 }).catch(() => undefined);

      return seen.length > 0 ? true : undefined;
    });

    await server.kill();
    await server.restart();
    await waitFor(() => (gaps > 0 ? true : undefined), 10_000, 'the gap');
    await waitFor(() => publisher.publish({ n: 2 }).catch(() => undefined), 10_000, 'publish');

    await waitFor(() => (seen.includes(2) ? true : undefined), 10_000, 'the event after restart');
    await tail.stop();
    expect(gaps).toBe(1);
  });
});
