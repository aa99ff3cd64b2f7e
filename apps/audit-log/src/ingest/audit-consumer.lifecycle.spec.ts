import { ReadinessRegistry } from '@xai/common';
import type { AuditStreamEvent, StreamConsumer } from '@xai/events';

import { AuditConsumerLifecycle } from './audit-consumer.lifecycle';

describe(AuditConsumerLifecycle.name, () => {
  let consumer: jest.Mocked<Pick<StreamConsumer<AuditStreamEvent>, 'start' | 'stop' | 'isRunning'>>;
  let readiness: ReadinessRegistry;
  let lifecycle: AuditConsumerLifecycle;

  beforeEach(() => {
    consumer = {
      start: jest.fn(),
      stop: jest.fn().mockResolvedValue(undefined),
      isRunning: jest.fn().mockReturnValue(false),
    };
    readiness = new ReadinessRegistry();
    lifecycle = new AuditConsumerLifecycle(
      consumer as unknown as StreamConsumer<AuditStreamEvent>,
      readiness,
    );
    lifecycle.onModuleInit();
  });

  it('starts the consumer when the application has booted', () => {
    lifecycle.onApplicationBootstrap();

    expect(consumer.start).toHaveBeenCalledTimes(1);
  });

  it('stops the consumer before the connections close', async () => {
    await lifecycle.beforeApplicationShutdown();

    expect(consumer.stop).toHaveBeenCalledTimes(1);
  });

  it('reports not ready while the consumer is not running', async () => {
    const { ready, checks } = await readiness.evaluate();

    expect(ready).toBe(false);
    expect(checks.consumer).toBe('the audit stream consumer is not running');
  });

  it('reports ready while the consumer runs', async () => {
    consumer.isRunning.mockReturnValue(true);

    const { ready } = await readiness.evaluate();

    expect(ready).toBe(true);
  });
});
