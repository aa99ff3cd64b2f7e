import { RunningStack, startStack } from '@xai/devstack';

import { waitFor } from './audit-log.process';
import { addMockKey } from './stack-keys';

const SECRET = 'sk-trail-events-0123456789abcdef';

interface Listing {
  data: Record<string, unknown>[];
  next_cursor: string | null;
}

// The whole router as processes: key-vault's key uses and the gateway's management changes,
// listed through the management API as the tenant's owner sees them.
describe('GET /x-audit/key-uses and /x-audit/changes (e2e)', () => {
  let stack: RunningStack;
  let providerKeyId: string;
  let memberKey: string;
  let requestId: string;
  /** The request id of the last config change. */
  let confRequestId: string;

  const as = async (key: string, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
  const owner = (path: string, init?: RequestInit): Promise<Response> =>
    as(stack.ownerKey, path, init);
  const list = async (path: string): Promise<Listing> =>
    (await (await owner(path)).json()) as Listing;

  /** Every record of a listing, one record per page, following the cursors. */
  const walk = async (path: string): Promise<Record<string, unknown>[]> => {
    const records: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await list(`${path}${path.includes('?') ? '&' : '?'}limit=1${suffix}`);
      records.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);

    return records;
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true, logLevel: 'warn' });
    providerKeyId = await addMockKey(stack, SECRET);
    for (const mapper of ['gpt*=1', 'gpt-4*=1']) {
      const conf = await owner('/x-conf', {
        method: 'POST',
        body: JSON.stringify({ LevelMapper: mapper }),
      });
      expect(conf.status).toBe(200);
      confRequestId = conf.headers.get('x-request-id') ?? '';
    }
    const member = await owner('/x-users', {
      method: 'POST',
      body: JSON.stringify({ Name: 'reader' }),
    });
    const issued = await owner('/x-virtual-keys', {
      method: 'POST',
      body: JSON.stringify({
        Name: 'reader key',
        MemberID: ((await member.json()) as { ID: string }).ID,
      }),
    });
    memberKey = ((await issued.json()) as { Key: string }).Key;
    // The owner's key has the plaintext warm since it stored it; the member's key must open it.
    const chat = await as(memberKey, '/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(200);
    requestId = chat.headers.get('x-request-id') ?? '';
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('lists the provider key’s sealing and the decrypt of the call, without the secret', async () => {
    const uses = await waitFor(
      async () => {
        const page = await list(`/x-audit/key-uses?provider_key_id=${providerKeyId}`);
        const operations = page.data.map((use) => use.operation);

        return operations.includes('decrypt') && operations.includes('encrypt') ? page : undefined;
      },
      30_000,
      'the key uses',
    );
    const forCall = await list(`/x-audit/key-uses?request_id=${requestId}`);

    expect(uses.data[0]).toMatchObject({
      providerKeyId,
      operation: 'decrypt',
      outcome: 'ok',
      createdAt: expect.any(String),
      chainSeq: expect.any(Number),
    });
    expect(forCall.data).toEqual([expect.objectContaining({ operation: 'decrypt', requestId })]);
    expect(JSON.stringify(uses)).not.toContain(SECRET);
  });

  it('lists management changes newest first, with their states and no secret', async () => {
    const changes = await waitFor(
      async () => {
        const page = await list('/x-audit/changes');
        const configs = page.data.filter((change) => change.resource === 'tenant_config');

        return configs.length >= 2 ? page : undefined;
      },
      30_000,
      'the management changes',
    );
    const configOnly = await list('/x-audit/changes?resource=tenant_config');

    const times = changes.data.map((change) => String(change.createdAt));
    expect([...times].sort().reverse()).toEqual(times);
    expect(changes.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resource: 'provider_key', action: 'create' }),
      ]),
    );
    expect(configOnly.data.every((change) => change.resource === 'tenant_config')).toBe(true);
    expect(configOnly.data[0]).toMatchObject({
      action: 'update',
      before: expect.objectContaining({ LevelMapper: 'gpt*=1' }),
      after: expect.objectContaining({ LevelMapper: 'gpt-4*=1' }),
      requestId: confRequestId,
    });
    expect(confRequestId).toMatch(/^req_/);
    expect(JSON.stringify(changes)).not.toContain(SECRET);
  });

  it('pages through every record with cursors, and filters by time', async () => {
    const all = await list('/x-audit/changes?limit=500');
    const walked = await walk('/x-audit/changes');
    const newest = String(all.data[0].createdAt);
    const oldest = String(all.data.at(-1)?.createdAt);
    const later = new Date(Date.parse(newest) + 1).toISOString();

    const fromLater = await list(`/x-audit/changes?from=${later}`);
    const beforeOldest = await list(`/x-audit/changes?to=${oldest}`);
    const fromOldest = await list(`/x-audit/changes?from=${oldest}&to=${later}`);
    const keyUsesWalked = await walk('/x-audit/key-uses');
    const keyUsesAll = await list('/x-audit/key-uses?limit=500');

    expect(walked.map((change) => change.eventId)).toEqual(all.data.map((c) => c.eventId));
    expect(all.next_cursor).toBeNull();
    expect(fromLater.data).toEqual([]);
    expect(beforeOldest.data).toEqual([]);
    expect(fromOldest.data).toHaveLength(all.data.length);
    expect(keyUsesWalked.map((use) => use.eventId)).toEqual(
      keyUsesAll.data.map((use) => use.eventId),
    );
  });

  it('exports both as CSV', async () => {
    const changes = await owner('/x-audit/changes?format=csv');
    const uses = await owner('/x-audit/key-uses?format=csv');
    const changeLines = (await changes.text()).trim().split('\r\n');
    const useLines = (await uses.text()).trim().split('\r\n');
    const counts = [
      (await list('/x-audit/changes?limit=500')).data.length,
      (await list('/x-audit/key-uses?limit=500')).data.length,
    ];

    expect(changes.headers.get('content-type')).toContain('text/csv');
    expect(changeLines[0]).toBe(
      'created_at,event_id,request_id,actor_virtual_key_id,actor_member_id,resource,resource_id,' +
        'action,before,after,chain_seq',
    );
    expect(useLines[0]).toBe(
      'created_at,event_id,provider_key_id,operation,request_id,slot_id,outcome,chain_seq',
    );
    expect([changeLines.length - 1, useLines.length - 1]).toEqual(counts);
    expect(changeLines.join('\n')).not.toContain(SECRET);
  });

  it('answers the owner only, for its own tenant only', async () => {
    const byMember = await as(memberKey, '/x-audit/key-uses');
    const otherTenant = await owner('/x-audit/changes?tenant_id=someone-else');
    const badTime = await owner('/x-audit/key-uses?from=yesterday');
    const badCursor = await owner('/x-audit/changes?cursor=not-a-cursor');
    const everything = [
      ...(await list('/x-audit/key-uses?limit=500')).data,
      ...(await list('/x-audit/changes?limit=500')).data,
    ];

    expect(byMember.status).toBe(403);
    expect([otherTenant.status, badTime.status, badCursor.status]).toEqual([400, 400, 400]);
    expect(new Set(everything.map((record) => record.tenantId)).size).toBe(1);
  });
});
