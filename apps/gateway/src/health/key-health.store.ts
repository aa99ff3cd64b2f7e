import { once } from 'node:events';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { KEY_HEALTH_REASONS, KEY_HEALTH_STATES, createRedisClient } from '@xai/events';
import type Redis from 'ioredis';
import { z } from 'zod';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { KeyHealthRecord } from './key-health.types';

/** A record as read, with the exact text it was stored as (the compare-and-set token). */
export interface StoredHealth {
  raw: string | null;
  record: KeyHealthRecord | null;
}

const epoch = z.number().int().nonnegative();

const KeyHealthRecordSchema = z.object({
  state: z.enum(KEY_HEALTH_STATES),
  tenantId: z.string(),
  reason: z.enum(KEY_HEALTH_REASONS).nullable(),
  detail: z.string().nullable(),
  since: epoch,
  until: epoch.nullable(),
  trialUntil: epoch.nullable(),
  failures: z.array(epoch),
  strikes: z.number().int().nonnegative(),
  lastStrikeAt: epoch.nullable(),
  keyRevision: z.string().nullable(),
});

/**
 * Replaces a record only if it still holds the text the caller read; an empty new value
 * deletes it. Returns 1 when written, 0 when another replica changed it first.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`;

/**
 * Provider-key health in Redis, shared by every gateway replica: one JSON value per key under
 * `<prefix>key-health:<providerKeyId>`. Reads are one `MGET` for a whole level; writes are
 * atomic compare-and-sets, so concurrent replicas never lose each other's transitions.
 */
@Injectable()
export class KeyHealthStore implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-key-health');
    // Failed commands reject (and are handled there); ioredis would also print every error.
    this.redis.on('error', () => undefined);
    this.prefix = `${config.XAI_REDIS_PREFIX}key-health:`;
  }

  /** Resolves once the connection is up (commands fail fast while it is not). */
  async whenReady(): Promise<void> {
    if (this.redis.status !== 'ready') await once(this.redis, 'ready');
  }

  /** The records of `providerKeyIds`, in the same order. */
  async read(providerKeyIds: readonly string[]): Promise<StoredHealth[]> {
    if (providerKeyIds.length === 0) return [];
    const values = await this.redis.mget(providerKeyIds.map((id) => this.prefix + id));

    return values.map((raw) => ({ raw, record: parseRecord(raw) }));
  }

  /** Writes `next` (or deletes, when null) if the stored text is still `expected`. */
  async compareAndSet(
    providerKeyId: string,
    expected: string | null,
    next: KeyHealthRecord | null,
    ttlMs: number,
  ): Promise<boolean> {
    const written = await this.redis.eval(
      COMPARE_AND_SET,
      1,
      this.prefix + providerKeyId,
      expected ?? '',
      next ? JSON.stringify(next) : '',
      String(Math.max(1, Math.round(ttlMs))),
    );

    return written === 1;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

function parseRecord(raw: string | null): KeyHealthRecord | null {
  if (raw === null) return null;
  try {
    const parsed = KeyHealthRecordSchema.safeParse(JSON.parse(raw));

    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
