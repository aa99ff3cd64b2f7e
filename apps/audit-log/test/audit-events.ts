import { randomUUID } from 'node:crypto';

import type { RequestAuditEvent } from '@xai/events';

/** A valid request audit event; `overrides` set what a test cares about. */
export function auditEvent(overrides: Partial<RequestAuditEvent> = {}): RequestAuditEvent {
  return {
    type: 'request',
    eventId: randomUUID(),
    requestId: `req_${randomUUID()}`,
    occurredAt: new Date().toISOString(),
    tenantId: 'tenant-a',
    virtualKeyId: 'vk-1',
    providerKeyId: 'pk-1',
    level: 1,
    requestedModel: 'gpt-4o',
    upstreamModel: 'gpt-4o-2024-08-06',
    endpoint: '/v1/chat/completions',
    status: 200,
    errorCode: null,
    stream: false,
    attempts: 1,
    latencyMs: 120,
    usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
    ...overrides,
  };
}
