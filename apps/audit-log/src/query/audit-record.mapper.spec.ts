import { RequestEventEntity } from '../request-events/request-event.entity';
import { toAuditRecord } from './audit-record.mapper';

function row(overrides: Partial<RequestEventEntity> = {}): RequestEventEntity {
  return Object.assign(new RequestEventEntity(), {
    eventId: '0b7f8e2c-5a51-4c8e-9d4e-3f2a1b0c9d8e',
    requestId: 'req_1',
    tenantId: 'tenant-a',
    virtualKeyId: 'vk-1',
    providerKeyId: 'pk-1',
    level: 2,
    requestedModel: 'claude-sonnet',
    upstreamModel: 'claude-sonnet-4',
    endpoint: '/v1/chat/completions',
    status: 200,
    errorCode: null,
    stream: true,
    attempts: 2,
    latencyMs: 850,
    promptTokens: 12,
    completionTokens: 30,
    totalTokens: 42,
    occurredAt: new Date('2025-03-01T10:20:30.456Z'),
    recordedAt: new Date('2025-03-01T10:20:31.000Z'),
    memberId: null,
    providerType: 'anthropic',
    errorClass: null,
    attemptsDetail: [
      { providerKeyId: 'pk-0', status: 429, errorClass: 'rate_limited', ms: 12 },
      { providerKeyId: 'pk-1', status: 200, errorClass: null, ms: 340 },
    ],
    ttftMs: 410,
    cachedInputTokens: 4,
    reasoningTokens: 10,
    costUsd: '0.000486000000',
    priceSource: 'table:2025-08-15',
    chainSeq: '7',
    ingestFlags: 'cached_capped',
    prevHash: Buffer.alloc(32),
    rowHash: Buffer.alloc(32),
    ...overrides,
  });
}

describe('toAuditRecord', () => {
  it('maps every column to its proto field, the request time as createdAt', () => {
    const record = toAuditRecord(row());

    expect(record).toEqual({
      eventId: '0b7f8e2c-5a51-4c8e-9d4e-3f2a1b0c9d8e',
      requestId: 'req_1',
      tenantId: 'tenant-a',
      virtualKeyId: 'vk-1',
      providerKeyId: 'pk-1',
      level: 2,
      requestedModel: 'claude-sonnet',
      upstreamModel: 'claude-sonnet-4',
      endpoint: '/v1/chat/completions',
      status: 200,
      errorCode: '',
      stream: true,
      attempts: 2,
      latencyMs: 850,
      promptTokens: 12,
      completionTokens: 30,
      totalTokens: 42,
      createdAt: '2025-03-01T10:20:30.456Z',
      memberId: '',
      providerType: 'anthropic',
      errorClass: '',
      attemptsDetail: [
        { providerKeyId: 'pk-0', status: 429, errorClass: 'rate_limited', ms: 12 },
        { providerKeyId: 'pk-1', status: 200, errorClass: '', ms: 340 },
      ],
      ttftMs: 410,
      cachedInputTokens: 4,
      reasoningTokens: 10,
      costUsd: '0.000486000000',
      priceSource: 'table:2025-08-15',
      hasUsage: true,
      chainSeq: 7,
      ingestFlags: 'cached_capped',
    });
  });

  it('cuts a model name stored before the ingest bounds, so one row cannot break a page', () => {
    const record = toAuditRecord(row({ requestedModel: 'x'.repeat(5_000_000) }));

    expect(record.requestedModel).toBe(`${'x'.repeat(256)}…[cut at 256 of 5000000]`);
  });

  it('turns nulls into empty strings and zeros', () => {
    const failed = row({
      providerKeyId: null,
      level: null,
      requestedModel: null,
      upstreamModel: null,
      errorCode: 'no_route',
      status: 404,
      promptTokens: null,
      completionTokens: null,
      totalTokens: null,
      ttftMs: null,
      costUsd: null,
    });

    const record = toAuditRecord(failed);

    expect(record).toMatchObject({
      providerKeyId: '',
      level: 0,
      requestedModel: '',
      upstreamModel: '',
      errorCode: 'no_route',
      status: 404,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      costUsd: '',
      hasUsage: false,
    });
    expect(record).not.toHaveProperty('ttftMs');
  });
});
