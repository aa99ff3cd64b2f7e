import { RequestTrace } from './request-trace';

const CALLER = {
  tenantId: 'tenant-1',
  virtualKeyId: 'vk-1',
  role: 'VIRTUAL_KEY_ROLE_OWNER' as const,
  wrappingSecret: Buffer.from('wrapping-secret'),
};

describe(RequestTrace.name, () => {
  it('gives its event one id, however often the event is made', () => {
    const trace = new RequestTrace('req-1', '/v1/chat/completions');
    trace.caller = CALLER;

    const first = trace.toEvent();
    const second = trace.toEvent();

    expect(first?.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.eventId).toBe(first?.eventId);
    expect(trace.eventId).toBe(first?.eventId);
  });

  it('gives every trace an id of its own', () => {
    const ids = new Set(
      Array.from({ length: 100 }, () => new RequestTrace('req', '/v1/embeddings').eventId),
    );

    expect(ids.size).toBe(100);
  });

  it('makes no event for a call whose caller was never authenticated', () => {
    expect(new RequestTrace('req-1', '/v1/chat/completions').toEvent()).toBeUndefined();
  });
});
