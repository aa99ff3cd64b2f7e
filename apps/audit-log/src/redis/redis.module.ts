import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import { createRedisClient, redisReadiness } from '@xai/events';
import type Redis from 'ioredis';

import { AUDIT_LOG_CONFIG, AuditLogConfig } from '../audit-log.config';

/** Injection token of the service's Redis connection (commands; readers duplicate it). */
export const AUDIT_REDIS = Symbol('AuditRedis');

/** The service's Redis connection, its readiness check, and outage logging. */
@Global()
@Module({
  providers: [
    {
      provide: AUDIT_REDIS,
      inject: [AUDIT_LOG_CONFIG],
      useFactory: (config: AuditLogConfig): Redis =>
        createRedisClient(config.REDIS_URL, 'audit-log'),
    },
  ],
  exports: [AUDIT_REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new AppLogger(RedisModule.name);
  private down = false;

  constructor(
    @Inject(AUDIT_REDIS) private readonly redis: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('redis', redisReadiness(this.redis));
    // One line per outage rather than one per reconnect attempt.
    this.redis.on('error', (error: Error) => {
      if (!this.down) this.logger.warn('redis unreachable', { error: error.message });
      this.down = true;
    });
    this.redis.on('ready', () => {
      if (this.down) this.logger.info('redis reachable again');
      this.down = false;
    });
  }

  // After the consumer stopped (beforeApplicationShutdown), so its last acknowledgements went out.
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
