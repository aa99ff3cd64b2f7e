import { randomUUID } from 'node:crypto';

import type { AuditStreamEvent } from '@xai/events';
import { MetricCapture } from '@xai/telemetry';

import { AuditLogMetrics, IngestedEntry } from './audit-log-metrics';

function keyUse(entryId: string): IngestedEntry {
  const event: AuditStreamEvent = {
    type: 'key_use',
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    tenantId: 'tenant-secret-ish',
    providerKeyId: 'pk-1',
    operation: 'decrypt',
    requestId: 'req-1',
    slotId: 'vk-1',
    outcome: 'ok',
  };

  return { event, entryId };
}

describe(AuditLogMetrics.name, () => {
  let capture: MetricCapture;
  let metrics: AuditLogMetrics;

  beforeEach(() => {
    capture = new MetricCapture();
    metrics = new AuditLogMetrics(capture.meter);
  });

  afterEach(async () => {
    await capture.shutdown();
  });

  it('counts committed events by type, times the append and measures lag', async () => {
    const published = Date.now() - 2_000;

    await metrics.ingest([keyUse(`${published}-0`), keyUse(`${published}-1`)], async () => {});

    expect(
      await capture.total('xai.audit_log.events.ingested', { 'xai.event.type': 'key_use' }),
    ).toBe(2);
    expect(await capture.total('xai.audit_log.chain.append.duration')).toBe(1);
    const [lag] = await capture.points('xai.audit_log.stream.lag');
    expect(lag.value).toBe(2);
    expect(lag.sum).toBeGreaterThanOrEqual(4);
  });

  it('counts a failed append and passes the failure on, counting no event', async () => {
    const failure = new Error('database down');

    await expect(
      metrics.ingest([keyUse(`${Date.now()}-0`)], () => Promise.reject(failure)),
    ).rejects.toBe(failure);

    expect(await capture.total('xai.audit_log.ingest.failures')).toBe(1);
    expect(await capture.total('xai.audit_log.events.ingested')).toBe(0);
  });
});
