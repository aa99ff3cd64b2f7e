import Redis from 'ioredis';
import { z } from 'zod/v4';

import { StreamPublisher } from './stream-publisher';
import { StreamTail, StreamTailOptions } from './stream-tail';
import { SHARED_REDIS_URL, silentLogger, uniqueName, waitFor } from './test/stream-testing';

const PingSchema = z.object({ n: z.number().int() });
type Ping = z.infer<typeof PingSchema>;

describe(StreamTail.name, () => {
  let redis: Redis;
  let stream: string;
  let publisher: StreamPublisher<Ping>;
  const tails: StreamTail<Ping>[] = [];

  const tail = (overrides: Partial<StreamTailOptions<Ping>>): StreamTail<Ping> => {
    const created = new StreamTail<Ping>({
      redis,
      stream,
      schema: PingSchema,
      onEvent: () => undefined,
      onGap: () => undefined,
      blockMs: 200,
      redisBackoff: { initialMs: 50, maxMs: 200 },
      logger: silentLogger,
      ...overrides,
    });
    tails.push(created);

    return created;
  };

  /** Starts a tail and waits until it is reading the stream. */
  const startTail = async (
    overrides: Partial<StreamTailOptions<Ping>>,
  ): Promise<StreamTail<Ping>> => {
    const started = tail(overrides);
    const before = (await readers(redis, stream)).filter((reader) => reader.reading).length;
    started.start();
    await waitFor(async () => {
      const reading = (await readers(redis, stream)).filter((reader) => reader.reading).length;

      return reading > before ? true : undefined;
    });

    return started;
  };

  beforeAll(() => {
    redis = new Redis(SHARED_REDIS_URL);
  });

  beforeEach(() => {
    stream = uniqueName('test:events:tail');
    publisher = new StreamPublisher<Ping>(redis, stream);
  });

  afterEach(async () => {
    await Promise.all(tails.splice(0).map((started) => started.stop()));
    await redis.del(stream);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('delivers every event to every tail, not one per tail', async () => {
    const first: number[] = [];
    const second: number[] = [];
    await startTail({ onEvent: (event) => void first.push(event.n) });
    await startTail({ onEvent: (event) => void second.push(event.n) });

    await publisher.publish({ n: 1 });
    await publisher.publish({ n: 2 });

    await waitFor(() => (first.length === 2 && second.length === 2 ? true : undefined));
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });

  it('skips what was published before it started', async () => {
    const seen: number[] = [];
    await publisher.publish({ n: 1 });
    await startTail({ onEvent: (event) => void seen.push(event.n) });

    await publisher.publish({ n: 2 });

    await waitFor(() => (seen.length > 0 ? true : undefined));
    expect(seen).toEqual([2]);
  });

  it('reports a gap after its connection was cut and keeps delivering', async () => {
    const seen: number[] = [];
    let gaps = 0;
    await startTail({
      onEvent: (event) => void seen.push(event.n),
      onGap: () => void (gaps += 1),
    });

    const [reader] = await readers(redis, stream);
    await redis.client('KILL', 'ID', reader.id);
    await waitFor(() => (gaps === 1 ? true : undefined), 5_000, 'the gap');
    await publisher.publish({ n: 3 });

    await waitFor(() => (seen.length === 1 ? true : undefined), 5_000, 'the next event');
    expect(seen).toEqual([3]);
    expect(gaps).toBe(1);
  });

  it('reports a gap for an entry it cannot decode', async () => {
    const seen: number[] = [];
    let gaps = 0;
    await startTail({
      onEvent: (event) => void seen.push(event.n),
      onGap: () => void (gaps += 1),
    });

    await redis.xadd(stream, '*', 'event', '{"n":"x"}');
    await publisher.publish({ n: 4 });

    await waitFor(() => (seen.length === 1 ? true : undefined));
    expect(gaps).toBe(1);
    expect(seen).toEqual([4]);
  });
});

/** The tails' reader connections on `stream`, and whether each has started reading. */
async function readers(redis: Redis, stream: string): Promise<{ id: string; reading: boolean }[]> {
  const list = String(await redis.client('LIST'));

  return list
    .split('\n')
    .filter((line) => line.includes(` name=xai-tail:${stream} `))
    .map((line) => ({ id: line.match(/^id=(\d+)/)?.[1] ?? '', reading: / cmd=xread /.test(line) }));
}
