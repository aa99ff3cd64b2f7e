import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { createRedisClient } from '@xai/events';
import type Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

const SECONDS_PER_DAY = 86_400;
/** Longer ids are not OpenAI's; they are neither remembered nor looked up. */
const MAX_RESPONSE_ID_LENGTH = 256;

/**
 * Which provider key stored each Responses API response (OpenAI keeps a response with the
 * account that made it, so reading, deleting or continuing it must use the same key). One
 * value per response under `<prefix>response-key:<tenantId>:<responseId>`, shared by every
 * gateway replica, for `XAI_STORED_RESPONSE_TTL_DAYS`; scoped by tenant, so one tenant can
 * never reach another's responses, even knowing their ids.
 */
@Injectable()
export class ResponseKeyStore implements OnModuleDestroy {
  private readonly logger = new AppLogger(ResponseKeyStore.name);
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-response-keys');
    // Failed commands reject (and are handled there); ioredis would also print every error.
    this.redis.on('error', () => undefined);
    this.prefix = `${config.XAI_REDIS_PREFIX}response-key:`;
    this.ttlSeconds = config.XAI_STORED_RESPONSE_TTL_DAYS * SECONDS_PER_DAY;
  }

  /**
   * Remembers that `providerKeyId` stored `responseId`. Never fails the call that made the
   * response: a write Redis refuses is logged, and the response can then not be read back.
   */
  remember(tenantId: string, responseId: string, providerKeyId: string, requestId?: string): void {
    if (!isStorable(responseId)) return;
    this.redis
      .set(this.slot(tenantId, responseId), providerKeyId, 'EX', this.ttlSeconds)
      .catch((error: unknown) =>
        this.logger.warn('stored response not remembered', {
          requestId,
          providerKeyId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  /** The provider key that stored `responseId`, or null when none of this tenant's did. */
  async keyOf(tenantId: string, responseId: string): Promise<string | null> {
    if (!isStorable(responseId)) return null;

    return this.redis.get(this.slot(tenantId, responseId));
  }

  /** Forgets a response (once its provider deleted it). */
  async forget(tenantId: string, responseId: string): Promise<void> {
    if (!isStorable(responseId)) return;
    await this.redis.del(this.slot(tenantId, responseId));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private slot(tenantId: string, responseId: string): string {
    return `${this.prefix}${tenantId}:${responseId}`;
  }
}

/**
 * Whether an id can name a stored response. `.` and `..` cannot: in the provider's URL they
 * would be path segments that leave `/responses/{id}` (a URL parser resolves them away).
 */
export function isStorable(responseId: string): boolean {
  return (
    responseId !== '' &&
    responseId !== '.' &&
    responseId !== '..' &&
    responseId.length <= MAX_RESPONSE_ID_LENGTH
  );
}
