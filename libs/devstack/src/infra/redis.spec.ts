import Redis from 'ioredis';

import { testRedisUrl } from '../testing/test-redis-url';
import {
  deleteRedisPrefix,
  escapeRedisGlob,
  findRedisServer,
  isolatedRedisPrefix,
  redisServerArgs,
} from './redis';

const REDIS_URL = testRedisUrl();

describe('findRedisServer', () => {
  it('finds nothing on an empty PATH', () => {
    expect(findRedisServer('')).toBeUndefined();
  });

  it('skips folders without an executable redis-server', () => {
    expect(findRedisServer('/nonexistent-folder')).toBeUndefined();
  });
});

describe('redisServerArgs', () => {
  it('binds to loopback and keeps no data unless persistent', () => {
    const args = redisServerArgs({ port: 7000, dir: '/tmp/r', persistent: false });

    expect(args.join(' ')).toBe(
      '--port 7000 --bind 127.0.0.1 --dir /tmp/r --save  --appendonly no --daemonize no',
    );
  });

  it('turns the append-only file on when persistent', () => {
    const args = redisServerArgs({ port: 7000, dir: '/tmp/r', persistent: true });

    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
  });
});

describe('escapeRedisGlob', () => {
  it('escapes the characters MATCH treats as patterns', () => {
    expect(escapeRedisGlob('a*b?c[d]e\\')).toBe('a\\*b\\?c\\[d\\]e\\\\');
  });
});

describe('deleteRedisPrefix', () => {
  it('deletes the keys under the prefix and nothing else', async () => {
    const prefix = isolatedRedisPrefix();
    const other = isolatedRedisPrefix();
    const redis = new Redis(REDIS_URL);
    await redis.set(`${prefix}a`, '1');
    await redis.xadd(`${prefix}audit`, '*', 'f', 'v');
    await redis.set(`${other}kept`, '1');

    const deleted = await deleteRedisPrefix(REDIS_URL, prefix);

    expect(deleted).toBe(2);
    expect(await redis.exists(`${prefix}a`, `${prefix}audit`)).toBe(0);
    expect(await redis.get(`${other}kept`)).toBe('1');
    await redis.del(`${other}kept`);
    redis.disconnect();
  });
});
