import Redis from 'ioredis';

/**
 * A Redis connection for streams: reconnects forever with capped backoff, fails commands fast
 * while disconnected (callers decide whether to spool or retry), and names itself for
 * `CLIENT LIST`.
 */
export function createRedisClient(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** A readiness check for a Redis connection. */
export function redisReadiness(redis: Redis): () => Promise<void> {
  return async () => {
    await redis.ping();
  };
}
