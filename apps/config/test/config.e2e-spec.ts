import { randomBytes, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { ConfigMethods, GrpcClient, VirtualKey } from '@xai/contracts';
import { ConfigChangeEvent, ConfigChangeEventSchema, EVENT_FIELD, streamNames } from '@xai/events';
import Redis from 'ioredis';

import {
  ConfigProcess,
  createTestDatabase,
  startConfigProcess,
  TestDatabase,
  TEST_REDIS_URL,
} from './config-process';
import { grpcFailure, keyRequest, randomHash } from './fixtures';

describe('config service (e2e)', () => {
  const prefix = `xai-test-${randomBytes(4).toString('hex')}:`;
  const stream = streamNames(prefix).config;
  let database: TestDatabase;
  let service: ConfigProcess;
  let client: GrpcClient<ConfigMethods>;
  let redis: Redis;
  let owner: { hash: string; key: VirtualKey };

  async function events(): Promise<ConfigChangeEvent[]> {
    const entries = await redis.xrange(stream, '-', '+');

    return entries.map(([, fields]) => {
      const json = fields[fields.indexOf(EVENT_FIELD) + 1];

      return ConfigChangeEventSchema.parse(JSON.parse(json));
    });
  }

  async function version(): Promise<number> {
    const { config } = await client.call('getTenantConfig', { tenantId: owner.key.tenantId });

    return config.version;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startConfigProcess({
      ...database.serviceEnv,
      REDIS_URL: TEST_REDIS_URL,
      XAI_REDIS_PREFIX: prefix,
    });
    client = new GrpcClient<ConfigMethods>('config', service.grpcUrl, { deadlineMs: 10_000 });
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await redis?.del(stream);
    redis?.disconnect();
    await database?.drop();
  });

  it('reports the database and redis ready', async () => {
    const response = await fetch(`${service.httpUrl}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok' },
    });
  });

  it('bootstraps exactly one tenant when several gateways call at once', async () => {
    const hashes = Array.from({ length: 8 }, randomHash);

    const responses = await Promise.all(
      hashes.map((hash) =>
        client.call('bootstrapOwner', { virtualKeyHash: hash, virtualKeyHint: 'xai-test' }),
      ),
    );

    const winners = responses.flatMap((response, i) =>
      response.created && response.virtualKey
        ? [{ hash: hashes[i], key: response.virtualKey }]
        : [],
    );
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => !r.created && !r.virtualKey)).toHaveLength(7);
    owner = winners[0];
    expect(owner.key).toMatchObject({ role: 'VIRTUAL_KEY_ROLE_OWNER', name: 'owner' });
    const counts = await database.query<{ tenants: string; keys: string }>(
      `SELECT (SELECT count(*) FROM config.tenants) AS tenants,
              (SELECT count(*) FROM config.virtual_keys) AS keys`,
    );
    expect(counts).toEqual([{ tenants: '1', keys: '1' }]);
    expect(await events()).toEqual([
      expect.objectContaining({ tenantId: owner.key.tenantId, version: 1, kind: 'virtual_key' }),
    ]);
  });

  it('confirms the same owner on a second bootstrap and refuses a new one', async () => {
    const again = await client.call('bootstrapOwner', {
      virtualKeyHash: owner.hash,
      virtualKeyHint: 'xai-test',
    });
    const stranger = await client.call('bootstrapOwner', {
      virtualKeyHash: randomHash(),
      virtualKeyHint: '',
    });

    expect(again).toEqual({ created: false, virtualKey: owner.key });
    expect(stranger.created).toBe(false);
    expect(stranger.virtualKey ?? undefined).toBeUndefined();
  });

  it('stores only the hash of a virtual key', async () => {
    const rows = await database.query<{ key_hash: string; hint: string }>(
      'SELECT key_hash, hint FROM config.virtual_keys',
    );

    expect(rows).toEqual([{ key_hash: owner.hash, hint: 'xai-test' }]);
  });

  it('resolves an active virtual key by its hash', async () => {
    const resolved = await client.call('resolveVirtualKey', { virtualKeyHash: owner.hash });
    const unknown = await grpcFailure(
      client.call('resolveVirtualKey', { virtualKeyHash: randomHash() }),
    );
    const malformed = await grpcFailure(
      client.call('resolveVirtualKey', { virtualKeyHash: 'sk-not-a-hash' }),
    );

    expect(resolved.virtualKey).toEqual(owner.key);
    expect(unknown.code).toBe(status.NOT_FOUND);
    expect(malformed.code).toBe(status.INVALID_ARGUMENT);
    expect(malformed.details).not.toContain('sk-not-a-hash');
  });

  it('creates, lists, updates and deletes provider keys, one version and event per change', async () => {
    const tenantId = owner.key.tenantId;
    const first = keyRequest(tenantId, { name: 'first' });
    const second = keyRequest(tenantId, {
      name: 'second',
      level: 2,
      provider: 'https://my-resource.openai.azure.com',
      providerType: 'azure',
      configJson: '{"api_version":"2024-06-01"}',
    });

    const created = [
      await client.call('createProviderKey', first),
      await client.call('createProviderKey', second),
    ];
    const listed = await client.call('listProviderKeys', { tenantId });
    const updated = await client.call('updateProviderKey', {
      tenantId,
      id: first.id,
      level: 3,
      status: false,
    });
    await client.call('deleteProviderKey', { tenantId, id: second.id });
    const remaining = await client.call('listProviderKeys', { tenantId });

    expect(created[1].providerKey).toMatchObject({ id: second.id, providerType: 'azure' });
    expect(JSON.parse(created[1].providerKey.configJson)).toEqual({ api_version: '2024-06-01' });
    expect(listed.providerKeys.map((key) => key.name)).toEqual(['first', 'second']);
    expect(updated.providerKey).toMatchObject({
      id: first.id,
      name: 'first',
      level: 3,
      status: false,
    });
    expect(remaining.providerKeys.map((key) => key.id)).toEqual([first.id]);
    expect(await version()).toBe(5);
    expect((await events()).slice(1)).toEqual([
      expect.objectContaining({ version: 2, kind: 'provider_key', providerKeyId: first.id }),
      expect.objectContaining({ version: 3, kind: 'provider_key', providerKeyId: second.id }),
      expect.objectContaining({ version: 4, kind: 'provider_key', providerKeyId: first.id }),
      expect.objectContaining({ version: 5, kind: 'provider_key', providerKeyId: second.id }),
    ]);
  });

  it('refuses bad, duplicate, unknown and foreign provider keys without changing anything', async () => {
    const tenantId = owner.key.tenantId;
    const [existing] = (await client.call('listProviderKeys', { tenantId })).providerKeys;
    const before = await version();
    const eventCount = (await events()).length;

    const failures = await Promise.all([
      grpcFailure(client.call('createProviderKey', keyRequest(tenantId, { id: existing.id }))),
      grpcFailure(
        client.call('createProviderKey', keyRequest(tenantId, { provider: 'https://u:p@x.io' })),
      ),
      grpcFailure(client.call('createProviderKey', keyRequest(randomUUID()))),
      grpcFailure(client.call('updateProviderKey', { tenantId, id: randomUUID(), level: 2 })),
      grpcFailure(client.call('deleteProviderKey', { tenantId: randomUUID(), id: existing.id })),
    ]);

    expect(failures.map((failure) => failure.code)).toEqual([
      status.ALREADY_EXISTS,
      status.INVALID_ARGUMENT,
      status.NOT_FOUND,
      status.NOT_FOUND,
      status.NOT_FOUND,
    ]);
    expect(failures[1].details).toBe(
      'provider: must be an http(s) URL without credentials, query or fragment',
    );
    expect(await version()).toBe(before);
    expect(await events()).toHaveLength(eventCount);
    expect((await client.call('listProviderKeys', { tenantId })).providerKeys).toEqual([existing]);
  });

  it('refuses a bad mapper naming the field and item, and changes nothing', async () => {
    const tenantId = owner.key.tenantId;
    const before = await client.call('getTenantConfig', { tenantId });
    const eventCount = (await events()).length;

    const failure = await grpcFailure(
      client.call('updateTenantConfig', {
        tenantId,
        levelMapper: 'gpt-4*=1,claude*',
        modelMapper: 'gpt-4=gpt-4-turbo',
      }),
    );

    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toBe('level_mapper: LevelMapper item 2 "claude*" has no "="');
    expect(await client.call('getTenantConfig', { tenantId })).toEqual(before);
    expect(await events()).toHaveLength(eventCount);
  });

  it('refuses a SwitchOver cycle', async () => {
    const tenantId = owner.key.tenantId;

    const failure = await grpcFailure(
      client.call('updateTenantConfig', { tenantId, switchOver: '1=2,2=1' }),
    );

    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toBe('switch_over: SwitchOver item 2 "2=1" closes a cycle 2 → 1 → 2');
  });

  it('updates the config and serves it in the routing snapshot', async () => {
    const tenantId = owner.key.tenantId;
    const before = await version();

    const updated = await client.call('updateTenantConfig', {
      tenantId,
      levelMapper: ' gpt-4* = 1 , claude*=2',
      switchOver: '1=2',
      defaultLevel: 2,
    });
    const snapshot = await client.call('getRoutingSnapshot', { tenantId });

    expect(updated.config).toEqual({
      levelMapper: 'gpt-4*=1,claude*=2',
      modelMapper: '',
      switchOver: '1=2',
      defaultLevel: 2,
      version: before + 1,
    });
    expect(snapshot.config).toEqual(updated.config);
    expect(snapshot.providerKeys).toHaveLength(1);
    expect((await events()).at(-1)).toMatchObject({
      tenantId,
      version: before + 1,
      kind: 'tenant_config',
    });
  });
});
