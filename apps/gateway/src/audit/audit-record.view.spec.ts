import type { AuditRecord } from '@xai/contracts';

import { toAuditRecordView } from './audit-record.view';

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    eventId: 'e1',
    requestId: 'req_1',
    tenantId: 't1',
    virtualKeyId: 'vk-1',
    providerKeyId: 'pk-1',
    level: 1,
    requestedModel: 'gpt-4o',
    upstreamModel: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    status: 200,
    errorCode: '',
    stream: false,
    attempts: 1,
    latencyMs: 10,
    promptTokens: 12,
    completionTokens: 3,
    totalTokens: 15,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    hasUsage: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('toAuditRecordView', () => {
  it('leaves out the markers the gRPC loader adds for optional fields', () => {
    const loaded = { ...record({ ttftMs: 40 }), _ttftMs: 'ttftMs' } as AuditRecord;

    const view = toAuditRecordView(loaded);

    expect(view).not.toHaveProperty('_ttftMs');
    expect(view).toMatchObject({ ttftMs: 40, promptTokens: 12 });
  });

  it('gives null token counts, as the CSV gives empty cells, when no usage was reported', () => {
    const view = toAuditRecordView(
      record({ hasUsage: false, promptTokens: 0, completionTokens: 0, totalTokens: 0 }),
    );

    expect(view).toMatchObject({
      promptTokens: null,
      completionTokens: null,
      totalTokens: null,
      cachedInputTokens: null,
      reasoningTokens: null,
    });
  });
});
