import Anthropic from '@anthropic-ai/sdk';
import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient, eventually } from './admin-client';
import { MockControl, chat } from './mock-control';

const SECRET = 'sk-e2e-members-7c1a9e3b5d2f8a40';

/**
 * Members end to end (issue #4): the owner manages members on `/x-users`, issues a member its
 * own virtual key, the member's ModelMapper rules beat the owner's on that key's calls (and
 * only there), `/x-route` tells whose rule matched, the audit trail names the member, and
 * deleting the member revokes its keys.
 */
describe('members and their ModelMapper rules', () => {
  let stack: RunningStack;
  let owner: AdminClient;
  let mock: MockControl;
  let memberId: string;
  let memberKey: string;
  let memberKeyId: string;

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    owner = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    const created = await owner.request('POST', '/x-keys', {
      SecretKey: SECRET,
      Name: 'members key',
      Level: 1,
      Provider: stack.mockProviderUrl,
    });
    expect(created.status).toBe(201);
    const conf = await owner.request('POST', '/x-conf', {
      LevelMapper: 'gpt-*=1',
      ModelMapper: 'gpt-4=gpt-4-turbo,gpt-4o=gpt-4o-2024-08-06',
    });
    expect(conf.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates a member with its rules, refusing bad rules and a taken name', async () => {
    const created = await owner.request('POST', '/x-users', {
      Name: 'analytics',
      ModelMapper: 'gpt-4 = gpt-4o-mini',
    });
    const badRules = await owner.request('POST', '/x-users', {
      Name: 'other',
      ModelMapper: 'gpt-4=gpt-4o-mini,claude*',
    });
    const taken = await owner.request('POST', '/x-users', { Name: 'analytics' });
    const listed = await owner.request('GET', '/x-users');

    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ Name: 'analytics', ModelMapper: 'gpt-4=gpt-4o-mini' });
    memberId = created.json.ID as string;
    expect(badRules.status).toBe(400);
    expect(JSON.stringify(badRules.json)).toContain('claude*');
    expect(taken.status).toBe(400);
    expect(listed.json.data).toEqual([expect.objectContaining({ ID: memberId })]);
  });

  it("issues the member a virtual key with the owner's credential", async () => {
    const issued = await owner.request('POST', '/x-virtual-keys', {
      Name: 'analytics ci',
      MemberID: memberId,
    });
    const ownerRole = await owner.request('POST', '/x-virtual-keys', {
      Name: 'x',
      Role: 'owner',
      MemberID: memberId,
    });
    const unknown = await owner.request('POST', '/x-virtual-keys', {
      Name: 'x',
      MemberID: '00000000-0000-4000-8000-000000000000',
    });

    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ Role: 'member', MemberID: memberId });
    memberKey = issued.json.Key as string;
    memberKeyId = issued.json.ID as string;
    expect(ownerRole.status).toBe(400);
    expect(unknown.status).toBe(404);
  });

  it("routes the member's calls by its rules first, then the owner's; the owner's by the owner's", async () => {
    const byMember = await chat(stack.gatewayUrl, memberKey, 'gpt-4');
    const ownerFallback = await chat(stack.gatewayUrl, memberKey, 'gpt-4o');
    const byOwner = await chat(stack.gatewayUrl, stack.ownerKey, 'gpt-4');

    expect([byMember.status, ownerFallback.status, byOwner.status]).toEqual([200, 200, 200]);
    expect(byMember.headers.get('x-xai-upstream-model')).toBe('gpt-4o-mini');
    expect(byMember.headers.get('x-xai-route-rule')).toBe(
      'member model gpt-4=gpt-4o-mini; level gpt-*=1',
    );
    expect(ownerFallback.headers.get('x-xai-upstream-model')).toBe('gpt-4o-2024-08-06');
    expect(byOwner.headers.get('x-xai-upstream-model')).toBe('gpt-4-turbo');
    const models = (await mock.requests(SECRET)).map((request) => request.model);
    expect(models.slice(-3)).toEqual(['gpt-4o-mini', 'gpt-4o-2024-08-06', 'gpt-4-turbo']);
  });

  it('records the member on the audit event of its calls', async () => {
    const answer = await chat(stack.gatewayUrl, memberKey, 'gpt-4');
    const requestId = answer.headers.get('x-request-id') ?? '';

    const record = await eventually(async () => {
      const { json } = await owner.request('GET', `/x-audit?request_id=${requestId}`);
      const data = json.data as Array<Record<string, unknown>>;

      return data.length > 0 ? data[0] : undefined;
    });

    expect(record).toMatchObject({ requestId, memberId, virtualKeyId: memberKeyId });
  });

  it('explains whose rule matched on /x-route, for the member and for the owner', async () => {
    const forMember = await owner.request('GET', `/x-route?model=gpt-4&member=${memberId}`);
    const forOwner = await owner.request('GET', '/x-route?model=gpt-4');
    const unknown = await owner.request(
      'GET',
      '/x-route?model=gpt-4&member=00000000-0000-4000-8000-000000000000',
    );

    expect(forMember.json).toMatchObject({
      MemberID: memberId,
      UpstreamModel: 'gpt-4o-mini',
      ModelRule: 'gpt-4=gpt-4o-mini',
      ModelRuleSource: 'member',
    });
    expect(forOwner.json).toMatchObject({
      MemberID: null,
      UpstreamModel: 'gpt-4-turbo',
      ModelRuleSource: 'owner',
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps /x-users for the owner only', async () => {
    const asMember = new AdminClient(stack.gatewayUrl, memberKey);

    const listed = await asMember.request('GET', '/x-users');

    expect(listed.status).toBe(403);
  });

  it("lists the member's own aliases to its key only, in OpenAI's and Anthropic's shapes", async () => {
    const updated = await owner.request('PUT', `/x-users/${memberId}`, {
      ModelMapper: 'gpt-4=gpt-4o-mini,team-fast=gpt-4o-mini',
    });
    const sdks = (key: string) => ({
      openai: new OpenAI({ baseURL: `${stack.gatewayUrl}/v1`, apiKey: key, maxRetries: 0 }),
      anthropic: new Anthropic({ baseURL: stack.gatewayUrl, apiKey: key, maxRetries: 0 }),
    });
    const asMember = sdks(memberKey);
    const asOwner = sdks(stack.ownerKey);

    const memberList = await asMember.openai.models.list();
    const memberPage = await asMember.anthropic.models.list();
    const memberModel = await asMember.openai.models.retrieve('team-fast');
    const memberAnthropicModel = await asMember.anthropic.models.retrieve('team-fast');
    const ownerList = await asOwner.openai.models.list();

    expect(updated.status).toBe(200);
    expect(memberList.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['team-fast', 'gpt-4', 'gpt-4o']),
    );
    expect(memberPage.data.map((model) => model.id)).toContain('team-fast');
    expect(memberModel).toMatchObject({ id: 'team-fast', object: 'model' });
    expect(memberAnthropicModel).toMatchObject({ type: 'model', id: 'team-fast' });
    expect(ownerList.data.map((model) => model.id)).not.toContain('team-fast');
    await expect(asOwner.openai.models.retrieve('team-fast')).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(asOwner.anthropic.models.retrieve('team-fast')).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });

  it("applies a change of the member's rules to its next call", async () => {
    const updated = await owner.request('PUT', `/x-users/${memberId}`, {
      ModelMapper: 'gpt-4=gpt-4-32k',
    });

    const answer = await chat(stack.gatewayUrl, memberKey, 'gpt-4');

    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ Name: 'analytics', ModelMapper: 'gpt-4=gpt-4-32k' });
    expect(answer.headers.get('x-xai-upstream-model')).toBe('gpt-4-32k');
  });

  it('deletes the member and revokes its virtual keys at once', async () => {
    const deleted = await owner.request('DELETE', `/x-users/${memberId}`);

    const refused = await chat(stack.gatewayUrl, memberKey, 'gpt-4');
    const again = await owner.request('DELETE', `/x-users/${memberId}`);
    const keys = (await owner.request('GET', '/x-virtual-keys')).json.data as Array<{ ID: string }>;

    expect(deleted.json).toEqual({
      ID: memberId,
      Deleted: true,
      RevokedVirtualKeys: [memberKeyId],
    });
    expect(refused.status).toBe(401);
    expect(again.status).toBe(404);
    expect(keys.map((key) => key.ID)).not.toContain(memberKeyId);
    expect((await owner.request('GET', '/x-users')).json.data).toEqual([]);
  });
});
