import { AuditLogErrorCode } from '../errors/audit-log-error-code';
import { RequestEventEntity } from '../request-events/request-event.entity';
import { RequestEventsRepository } from '../request-events/request-events.repository';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import { AuditQueryService, DEFAULT_PAGE_SIZE } from './audit-query.service';

function rows(count: number): RequestEventEntity[] {
  return Array.from({ length: count }, (_, index) =>
    Object.assign(new RequestEventEntity(), {
      eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      requestId: `req_${index}`,
      tenantId: 'tenant-a',
      virtualKeyId: 'vk-1',
      providerKeyId: null,
      level: null,
      requestedModel: null,
      upstreamModel: null,
      endpoint: '/v1/models',
      status: 200,
      errorCode: null,
      stream: false,
      attempts: 0,
      latencyMs: 3,
      promptTokens: null,
      completionTokens: null,
      totalTokens: null,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 60 - index)),
      recordedAt: new Date(),
      attemptsDetail: [],
      chainSeq: String(index + 1),
    }),
  );
}

describe(AuditQueryService.name, () => {
  let findPage: jest.Mock;
  let service: AuditQueryService;

  beforeEach(() => {
    findPage = jest.fn().mockResolvedValue([]);
    service = new AuditQueryService({ findPage } as unknown as RequestEventsRepository);
  });

  it('asks for one row more than the page to learn whether another follows', async () => {
    await service.query({ tenantId: 'tenant-a', requestId: '', limit: 0, cursor: '' });

    expect(findPage).toHaveBeenCalledWith(
      expect.objectContaining({
        tenantId: 'tenant-a',
        requestId: undefined,
        after: undefined,
        limit: DEFAULT_PAGE_SIZE + 1,
      }),
    );
  });

  it('returns the cursor of the last record when more rows exist', async () => {
    const found = rows(3);
    findPage.mockResolvedValue(found);

    const response = await service.query({ tenantId: 'tenant-a', limit: 2 });

    expect(response.records.map((record) => record.requestId)).toEqual(['req_0', 'req_1']);
    expect(decodeAuditCursor(response.nextCursor)).toEqual({
      occurredAt: found[1].occurredAt,
      eventId: found[1].eventId,
    });
  });

  it('returns an empty cursor on the last page', async () => {
    findPage.mockResolvedValue(rows(2));

    const response = await service.query({ tenantId: 'tenant-a', limit: 2 });

    expect(response.records).toHaveLength(2);
    expect(response.nextCursor).toBe('');
  });

  it('reads after the position the cursor names, filtered by request id', async () => {
    const position = {
      occurredAt: new Date('2025-01-01T00:00:00.000Z'),
      eventId: rows(1)[0].eventId,
    };

    await service.query({
      tenantId: 'tenant-a',
      requestId: 'req_9',
      limit: 10,
      cursor: encodeAuditCursor(position),
    });

    expect(findPage).toHaveBeenCalledWith(
      expect.objectContaining({
        tenantId: 'tenant-a',
        requestId: 'req_9',
        after: position,
        limit: 11,
      }),
    );
  });

  it('passes every filter on, with the status class as its first digit', async () => {
    await service.query({
      tenantId: 'tenant-a',
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-02T00:00:00Z',
      virtualKeyId: 'vk-1',
      providerKeyId: 'pk-1',
      model: 'gpt-4o',
      status: 429,
      statusClass: '4xx',
    });

    expect(findPage).toHaveBeenCalledWith({
      tenantId: 'tenant-a',
      requestId: undefined,
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-01-02T00:00:00Z'),
      virtualKeyId: 'vk-1',
      providerKeyId: 'pk-1',
      model: 'gpt-4o',
      status: 429,
      statusClass: 4,
      after: undefined,
      limit: DEFAULT_PAGE_SIZE + 1,
    });
  });

  it.each([
    ['a missing tenant', { tenantId: '' }, AuditLogErrorCode.InvalidArgument],
    ['a limit above 500', { tenantId: 't', limit: 501 }, AuditLogErrorCode.InvalidArgument],
    ['a negative limit', { tenantId: 't', limit: -1 }, AuditLogErrorCode.InvalidArgument],
    ['a forged cursor', { tenantId: 't', cursor: 'Zm9v' }, AuditLogErrorCode.InvalidCursor],
    ['a bad time', { tenantId: 't', from: 'yesterday' }, AuditLogErrorCode.InvalidArgument],
    [
      'an empty period',
      { tenantId: 't', from: '2025-01-02', to: '2025-01-01' },
      AuditLogErrorCode.InvalidArgument,
    ],
    [
      'a bad status class',
      { tenantId: 't', statusClass: '42x' },
      AuditLogErrorCode.InvalidArgument,
    ],
  ])('refuses %s without reading', async (_case, request, code) => {
    const query = service.query(request);

    await expect(query).rejects.toMatchObject({ code });
    expect(findPage).not.toHaveBeenCalled();
  });
});
