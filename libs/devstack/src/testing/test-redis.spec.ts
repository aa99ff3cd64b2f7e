import { RedisUnavailableException } from '../infra/redis-server';
import { redisPong } from '../net/probes';
import { startTestRedis } from './test-redis';

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('startTestRedis', () => {
  it('starts a redis-server on a free loopback port and stops it', async () => {
    const redis = await startTestRedis(process.env.PATH ?? '');
    const answeredWhileRunning = await redisPong(portOf(redis.url));

    await redis.stop();

    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(answeredWhileRunning).toBe(true);
    expect(await redisPong(portOf(redis.url))).toBe(false);
  });

  it('fails with the install hint when no redis-server is on the PATH', async () => {
    const started = startTestRedis('/nonexistent-folder');

    await expect(started).rejects.toThrow(RedisUnavailableException);
    await expect(started).rejects.toThrow(/apt-get install redis-server/);
  });
});
