import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import {
  ConfigChangeEvent,
  createRedisClient,
  redisReadiness,
  StreamPublisher,
  streamNames,
} from '@xai/events';
import Redis from 'ioredis';

import { CONFIG_SERVICE_CONFIG, ConfigServiceConfig } from '../config.config';
import { CONFIG_CHANGE_STREAM, ConfigChangePublisher } from './config-change.publisher';

/** The Redis connection, the config-change stream publisher and the Redis readiness check. */
@Global()
@Module({
  providers: [
    {
      provide: Redis,
      inject: [CONFIG_SERVICE_CONFIG],
      useFactory: (config: ConfigServiceConfig): Redis =>
        logConnectionChanges(createRedisClient(config.REDIS_URL, 'xai-config')),
    },
    {
      provide: CONFIG_CHANGE_STREAM,
      inject: [Redis, CONFIG_SERVICE_CONFIG],
      useFactory: (redis: Redis, config: ConfigServiceConfig) =>
        new StreamPublisher<ConfigChangeEvent>(redis, streamNames(config.XAI_REDIS_PREFIX).config),
    },
    ConfigChangePublisher,
  ],
  exports: [ConfigChangePublisher],
})
export class ConfigEventsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('redis', redisReadiness(this.redis));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/**
 * ioredis reports each failed reconnect as an `error` event (and prints it itself when nobody
 * listens); log only the transitions between up and down.
 */
function logConnectionChanges(redis: Redis): Redis {
  const logger = new AppLogger('Redis');
  let up = true;
  redis.on('error', (error: Error) => {
    if (!up) return;
    up = false;
    logger.warn('redis unreachable; config changes are committed but not announced', {
      error: error.message,
    });
  });
  redis.on('ready', () => {
    if (up) return;
    up = true;
    logger.info('redis reachable again');
  });

  return redis;
}
