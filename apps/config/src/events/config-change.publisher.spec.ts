import { ConfigChangeEvent, StreamPublisher } from '@xai/events';
import { MetricCapture } from '@xai/telemetry';

import { TENANT_ID } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { ConfigChangePublisher, PUBLISH_TIMEOUT_MS } from './config-change.publisher';

describe(ConfigChangePublisher.name, () => {
  let stream: jest.Mocked<StreamPublisher<ConfigChangeEvent>>;
  let publisher: ConfigChangePublisher;
  let metrics: MetricCapture;

  beforeEach(() => {
    stream = typedMock<StreamPublisher<ConfigChangeEvent>>();
    metrics = new MetricCapture();
    publisher = new ConfigChangePublisher(stream, metrics.meter);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('publishes a schema-valid event with the time it was sent', async () => {
    stream.publish.mockResolvedValue('1-0');

    await publisher.publish({
      tenantId: TENANT_ID,
      version: 4,
      kind: 'provider_key',
      providerKeyId: 'k1',
    });

    const [event] = stream.publish.mock.calls[0];
    expect(event).toEqual({
      tenantId: TENANT_ID,
      version: 4,
      kind: 'provider_key',
      providerKeyId: 'k1',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const published = { 'xai.change.kind': 'provider_key', 'xai.outcome': 'ok' };
    expect(await metrics.total('xai.config.changes.published', published)).toBe(1);
  });

  it('swallows a Redis failure, since the change is already committed', async () => {
    stream.publish.mockRejectedValue(new Error("Stream isn't writeable"));

    const publish = publisher.publish({ tenantId: TENANT_ID, version: 1, kind: 'tenant_config' });

    await expect(publish).resolves.toBeUndefined();
    const failed = { 'xai.change.kind': 'tenant_config', 'xai.outcome': 'error' };
    expect(await metrics.total('xai.config.changes.published', failed)).toBe(1);
  });

  it('gives up on a Redis that does not answer', async () => {
    jest.useFakeTimers();
    stream.publish.mockReturnValue(new Promise<string>(() => undefined));

    const publish = publisher.publish({ tenantId: TENANT_ID, version: 1, kind: 'tenant_config' });
    jest.advanceTimersByTime(PUBLISH_TIMEOUT_MS);

    await expect(publish).resolves.toBeUndefined();
  });
});
