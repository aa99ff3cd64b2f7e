import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Meter } from '@opentelemetry/api';
import { METER } from '@xai/telemetry';

import { AuditEmitter } from '../audit/audit-emitter';
import { KeyHealthService } from '../health/key-health.service';
import { ConfigStreamState } from '../routing/config-stream.state';
import { ATTR, METRIC } from './metric-names';

/**
 * The gateway's state as gauges, read only when metrics are collected (a scrape), never on
 * the request path: provider key states as this replica last saw them, the audit spool, and
 * whether the config-change stream is followed.
 */
@Injectable()
export class GatewayGauges implements OnModuleInit {
  constructor(
    @Inject(METER) private readonly meter: Meter,
    private readonly health: KeyHealthService,
    private readonly audit: AuditEmitter,
    private readonly configStream: ConfigStreamState,
  ) {}

  onModuleInit(): void {
    this.observeKeyStates();
    this.observeAudit();
    this.meter
      .createObservableGauge(METRIC.configStreamConnected, {
        description: '1 while this gateway follows the config-change stream, else 0',
      })
      .addCallback((result) => result.observe(this.configStream.isFollowing() ? 1 : 0));
  }

  private observeKeyStates(): void {
    this.meter
      .createObservableGauge(METRIC.providerKeys, {
        description: 'Provider keys this replica has seen recently, by health state',
        unit: '{key}',
      })
      .addCallback((result) => {
        for (const [state, count] of Object.entries(this.health.stateCounts())) {
          result.observe(count, { [ATTR.keyState]: state });
        }
      });
  }

  private observeAudit(): void {
    const buffered = this.meter.createObservableGauge(METRIC.auditBuffered, {
      description: 'Audit events in memory, waiting to be written to Redis',
      unit: '{event}',
    });
    const spoolSize = this.meter.createObservableGauge(METRIC.auditSpoolSize, {
      description: 'Bytes of audit events in the on-disk spool, waiting for Redis',
      unit: 'By',
    });
    const dropped = this.meter.createObservableCounter(METRIC.auditDropped, {
      description: 'Audit events dropped (fail-open mode, memory, Redis and spool all full)',
      unit: '{event}',
    });
    const replayed = this.meter.createObservableCounter(METRIC.auditReplayed, {
      description: 'Audit events replayed from the spool since start',
      unit: '{event}',
    });
    this.meter.addBatchObservableCallback(
      (result) => {
        const stats = this.audit.stats();
        result.observe(buffered, stats.buffered);
        result.observe(spoolSize, stats.spoolBytes);
        result.observe(dropped, stats.dropped);
        result.observe(replayed, stats.replayed);
      },
      [buffered, spoolSize, dropped, replayed],
    );
  }
}
