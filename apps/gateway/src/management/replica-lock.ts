import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { createRedisClient } from '@xai/events';
import type Redis from 'ioredis';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** Longest a holder keeps the lock if it dies without releasing it. */
const HOLD_MS = 60_000;
/** Longest a change waits for another replica's change to the same thing. */
const WAIT_MS = 15_000;
const FIRST_RETRY_MS = 10;
const MAX_RETRY_MS = 250;

/** Deletes the lock only if this holder's token is still in it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A lock shared by every gateway replica (`SET NX PX` in Redis, released by its holder's token
 * only), so that the steps of two management changes to one thing, made on different
 * replicas, cannot interleave: for a provider key, the secret sealed in key-vault and the hint
 * written to config always come from the same change. When Redis cannot be reached the change
 * goes ahead under the caller's in-process lock alone; key-vault's compare-and-set on the
 * ciphertext still refuses a lost update then.
 */
@Injectable()
export class ReplicaLock implements OnModuleDestroy {
  private readonly logger = new AppLogger(ReplicaLock.name);
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-management-lock');
    // Failed commands reject (and are handled there); ioredis would also print every error.
    this.redis.on('error', () => undefined);
    this.prefix = `${config.XAI_REDIS_PREFIX}lock:`;
  }

  /** Runs `task` holding the lock `name`; `conflict` when another holder keeps it too long. */
  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const key = this.prefix + name;
    const token = randomUUID();
    const held = await this.acquire(key, token);
    try {
      return await task();
    } finally {
      if (held) await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** Resolves true once held, false when Redis is unreachable. */
  private async acquire(key: string, token: string): Promise<boolean> {
    const deadline = Date.now() + WAIT_MS;
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      let taken: string | null;
      try {
        taken = await this.redis.set(key, token, 'PX', HOLD_MS, 'NX');
      } catch (error) {
        this.logger.warn(
          'replica lock unavailable; the change is serialised in this replica only',
          {
            error: error instanceof Error ? error.message : String(error),
          },
        );

        return false;
      }
      if (taken === 'OK') return true;
      if (Date.now() + delay > deadline) {
        throw new GatewayException(
          GatewayErrorCode.Conflict,
          'Another change to this resource is still in progress; try again.',
        );
      }
      await sleep(delay);
    }
  }
}
