import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import {
  AuditStreamEvent,
  DiskSpool,
  SpooledStreamPublisher,
  SpoolStats,
  createRedisClient,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { auditSpoolDir } from './audit-spool-dir';

/**
 * Sends audit events to the audit stream without holding up responses. Events are written to
 * Redis in pipelined batches; while Redis is unreachable they go to a bounded spool on local
 * disk (`XAI_AUDIT_SPOOL_DIR`, `XAI_AUDIT_SPOOL_MAX_BYTES`), which is replayed at start and as
 * soon as Redis is back. When neither can take more, `XAI_AUDIT_FAIL_MODE` decides: `closed`
 * (the default) refuses key-using requests until the trail can record them again; `open`
 * serves them. Events wait in memory, up to `XAI_AUDIT_BUFFER_MAX_EVENTS`; past that, events of
 * calls that used no provider key (the refused ones among them) are dropped first, counted
 * (`stats().dropped`) and logged once per episode. Fail-closed never drops an event of a call
 * that used a key: those are kept past the bound (new ones are refused meanwhile, so only
 * calls already under way add to them); fail-open drops the oldest. See docs/audit.md.
 */
@Injectable()
export class AuditEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(AuditEmitter.name);
  private readonly redis: Redis;
  private readonly publisher: SpooledStreamPublisher<AuditStreamEvent>;
  private readonly enabled: boolean;
  private readonly failClosed: boolean;
  private refusing = false;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: GatewayMetrics,
  ) {
    this.enabled = config.XAI_AUDIT_ENABLED;
    this.failClosed = config.XAI_AUDIT_FAIL_MODE === 'closed';
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-audit');
    this.redis.on('error', () => undefined);
    this.publisher = new SpooledStreamPublisher<AuditStreamEvent>({
      redis: this.redis,
      stream: streamNames(config.XAI_REDIS_PREFIX).audit,
      spool: new DiskSpool({
        dir: auditSpoolDir(config),
        maxBytes: config.XAI_AUDIT_SPOOL_MAX_BYTES,
      }),
      memoryBound: config.XAI_AUDIT_BUFFER_MAX_EVENTS,
      lingerMs: config.XAI_AUDIT_LINGER_MS,
      expendable: usedNoProviderKey,
      keepEssential: this.failClosed,
    });
  }

  async onModuleInit(): Promise<void> {
    // Not a readiness failure while the spool has room: requests are still recorded. Nor in
    // fail-open mode, where the operator chose serving unrecorded calls over refusing them.
    this.readiness.register('audit', async () => {
      if (this.failClosed && !this.publisher.canAccept()) {
        throw new GatewayException(GatewayErrorCode.DependencyUnavailable, 'audit spool full');
      }
    });
    await this.publisher.start();
  }

  /** Queues one event; never throws and never waits. A request's metrics are recorded here too. */
  emit(event: AuditStreamEvent): void {
    if (event.type === 'request') this.metrics.recordCall(event);
    if (!this.enabled) return;

    this.publisher.publish(event);
  }

  /**
   * Throws the 503 a key-using request gets when fail-closed and the trail cannot record it
   * (Redis unreachable and the spool full). Call before any provider key is used.
   */
  assertCanRecord(): void {
    if (!this.enabled || !this.failClosed) return;

    const accepting = this.publisher.canAccept();
    this.noteChange(accepting);
    if (!accepting) throw refusal();
  }

  /** Buffered, spooled, dropped and replayed counts. */
  stats(): SpoolStats {
    return this.publisher.stats();
  }

  /** Logs once when requests start being refused and once when they are served again. */
  private noteChange(accepting: boolean): void {
    if (accepting !== this.refusing) return;

    this.refusing = !accepting;
    if (accepting) {
      this.logger.info('the audit trail can record again; serving key-using requests');
    } else {
      this.logger.error('audit spool full and Redis unreachable: refusing key-using requests', {
        ...this.publisher.stats(),
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.publisher.stop();
    this.redis.disconnect();
  }
}

/** Whether an event is of a call that used no provider key (refused, unrouted, unauthorised). */
export function usedNoProviderKey(event: AuditStreamEvent): boolean {
  return (
    event.type === 'request' &&
    event.attempts === 0 &&
    event.providerKeyId === null &&
    (event.attemptsDetail ?? []).length === 0
  );
}

function refusal(): GatewayException {
  return new GatewayException(
    GatewayErrorCode.DependencyUnavailable,
    'The router cannot record this call in its audit trail right now (the event stream is ' +
      'unreachable and the local audit spool is full), so calls that use a provider key are ' +
      'refused until it can. Try again shortly.',
  );
}
