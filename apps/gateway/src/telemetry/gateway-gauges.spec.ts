import { MetricCapture } from '@xai/telemetry';

import type { AuditEmitter } from '../audit/audit-emitter';
import type { KeyHealthService } from '../health/key-health.service';
import { ConfigStreamState } from '../routing/config-stream.state';
import { GatewayGauges } from './gateway-gauges';

describe(GatewayGauges.name, () => {
  it('reads key states, the audit spool and the config stream when collected', async () => {
    const capture = new MetricCapture();
    const health = { stateCounts: () => ({ active: 3, sleeping: 1, half_open: 0, dead: 2 }) };
    const audit = { stats: () => ({ buffered: 4, spoolBytes: 2048, dropped: 5, replayed: 6 }) };
    const stream = new ConfigStreamState();
    const gauges = new GatewayGauges(
      capture.meter,
      health as unknown as KeyHealthService,
      audit as unknown as AuditEmitter,
      stream,
    );
    gauges.onModuleInit();
    stream.set(true);

    expect(await capture.total('xai.gateway.provider_keys', { 'xai.key.state': 'dead' })).toBe(2);
    expect(await capture.total('xai.gateway.provider_keys')).toBe(6);
    expect(await capture.total('xai.gateway.audit.spool.size')).toBe(2048);
    expect(await capture.total('xai.gateway.audit.dropped')).toBe(5);
    expect(await capture.total('xai.gateway.config_stream.connected')).toBe(1);
    stream.set(false);
    expect(await capture.total('xai.gateway.config_stream.connected')).toBe(0);
    await capture.shutdown();
  });
});
