import { randomBytes, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import {
  AuditLogMethods,
  ConfigMethods,
  GrpcClient,
  KeyVaultMethods,
  SERVICE_TOKEN_METADATA_KEY,
} from '@xai/contracts';
import { virtualKeyWrappingSecret } from '@xai/crypto';
import { RunningStack, startStack } from '@xai/devstack';

import { rpcError } from './grpc-test-helpers';
import { RecordingUpstream } from './recording-upstream';
import {
  GatewayClient,
  auditEvents,
  encodingsOf,
  eventually,
  keyVaultClient,
  stackSecret,
  withDatabase,
} from './stack-helpers';

/** A secret no pattern of the scrubber recognises: short runs, dots, no known prefix. */
function oddlyShapedSecret(): string {
  return ['cnry', ...[1, 2, 3].map(() => randomBytes(4).toString('hex'))].join('.');
}

/**
 * The holes an attack pass found in key custody, each closed and proven against the real
 * services, PostgreSQL and two gateway replicas: a rewritten provider URL, callers of config and
 * audit-log without the service token, a provider echoing the key, and warm plaintexts served
 * to a credential whose slot is gone.
 */
describe('key custody against a database writer, a network neighbour and an echoing provider', () => {
  const bodies: string[] = [];
  const secret = `sk-canary-bound-${randomUUID()}`;
  let stack: RunningStack;
  let owner: GatewayClient;
  let replicas: GatewayClient[];
  let vault: GrpcClient<KeyVaultMethods>;
  let sealedFor: RecordingUpstream;
  let attacker: RecordingUpstream;
  let echo: RecordingUpstream;
  let tenantId: string;
  let keyId: string;

  beforeAll(async () => {
    [sealedFor, attacker, echo] = await Promise.all([
      RecordingUpstream.start('complete'),
      RecordingUpstream.start('complete'),
      RecordingUpstream.start('echo-key'),
    ]);
    stack = await startStack({ isolate: true, gatewayReplicas: 2 });
    owner = new GatewayClient(stack.gatewayUrls[0], stack.ownerKey, bodies);
    replicas = stack.gatewayUrls.map((baseUrl) => owner.with({ baseUrl }));
    vault = await keyVaultClient(stack);
    tenantId = await withDatabase(stack, 'config', async (db) => {
      const rows = await db.query<{ id: string }>('SELECT id FROM config.tenants');

      return rows.rows[0].id;
    });
    const created = await owner.request('POST', '/x-keys', {
      SecretKey: secret,
      Name: 'bound',
      Level: 1,
      Provider: sealedFor.url,
      Status: true,
    });
    expect(created.status).toBe(201);
    keyId = String(created.json.ID);
  }, 180_000);

  afterAll(async () => {
    vault?.close();
    await stack?.stop();
    await Promise.all([sealedFor, attacker, echo].map((upstream) => upstream?.stop()));
  }, 60_000);

  describe('a provider URL rewritten in the database', () => {
    it('refuses a PUT that changes the destination without the secret', async () => {
      const moved = await owner.request('PUT', `/x-keys/${keyId}`, { Provider: attacker.url });
      const retyped = await owner.request('PUT', `/x-keys/${keyId}`, {
        Config: { provider_type: 'azure' },
      });

      expect([moved.status, retyped.status]).toEqual([400, 400]);
      expect(moved.json.error).toMatchObject({
        param: 'SecretKey',
        message: expect.stringContaining('needs SecretKey'),
      });
    });

    it('never sends the key to the new URL: the call fails cleanly and is audited', async () => {
      const warm = await Promise.all(replicas.map((replica) => replica.chat()));
      await withDatabase(stack, 'config', (db) =>
        db.query('UPDATE config.provider_keys SET provider = $1 WHERE id = $2', [
          attacker.url,
          keyId,
        ]),
      );
      // A routing change that keeps the warm plaintexts, so the gateways read the new URL.
      const conf = await owner.request('POST', '/x-conf', { ModelMapper: 'unused-model=gpt-4o' });
      for (const replica of replicas) {
        await eventually(async () => ((await replica.chat()).status === 502 ? true : undefined));
      }
      const calledBefore = sealedFor.received.length;

      const answers = await Promise.all([...replicas, ...replicas].map((r) => r.chat()));
      const failedUses = await eventually(async () => {
        const uses = (await auditEvents(stack)).filter(
          (event) =>
            event.type === 'key_use' &&
            event.operation === 'decrypt' &&
            event.providerKeyId === keyId &&
            event.outcome === 'error',
        );

        return uses.length > 0 ? uses : undefined;
      });

      expect(warm.map((answer) => answer.status)).toEqual([200, 200]);
      expect(sealedFor.saw(secret)).toBe(true);
      expect(conf.status).toBe(200);
      expect(answers.map((answer) => answer.status)).toEqual(Array(4).fill(502));
      expect(answers.map((answer) => answer.json.error)).toEqual(
        Array(4).fill(
          expect.objectContaining({
            code: 'provider_key_unavailable',
            message: expect.stringContaining('provider URL or type changed'),
          }),
        ),
      );
      expect(attacker.received).toEqual([]);
      expect(sealedFor.received.length).toBe(calledBefore);
      expect(failedUses[0]).toMatchObject({ tenantId, slotId: expect.any(String) });
    });

    it('lets the owner repair the key by storing its secret for the right URL', async () => {
      const repaired = await owner.request('PUT', `/x-keys/${keyId}`, {
        Provider: sealedFor.url,
        SecretKey: secret,
      });
      const answers = await Promise.all(
        replicas.map((replica) =>
          eventually(async () => {
            const answer = await replica.chat();

            return answer.status === 200 ? answer : undefined;
          }),
        ),
      );

      expect(repaired.status).toBe(200);
      expect(answers).toHaveLength(2);
      expect(attacker.received).toEqual([]);
    });
  });

  describe('service identity of config and audit-log', () => {
    it('refuses gRPC callers without the gateway service token with PERMISSION_DENIED', async () => {
      const token = await stackSecret(stack, 'service-token');
      const configUrl = stack.services.config.grpcUrl ?? '';
      const auditUrl = stack.services['audit-log'].grpcUrl ?? '';
      const as = (presented?: string) => ({
        deadlineMs: 10_000,
        metadata: presented === undefined ? undefined : { [SERVICE_TOKEN_METADATA_KEY]: presented },
      });
      const clients = {
        config: [undefined, 'x'.repeat(48), token].map(
          (presented) => new GrpcClient<ConfigMethods>('config', configUrl, as(presented)),
        ),
        audit: [undefined, 'x'.repeat(48), token].map(
          (presented) => new GrpcClient<AuditLogMethods>('auditLog', auditUrl, as(presented)),
        ),
      };

      try {
        const refused = [
          await rpcError(clients.config[0].call('listProviderKeys', { tenantId })),
          await rpcError(clients.config[1].call('listProviderKeys', { tenantId })),
          await rpcError(clients.audit[0].call('verifyAudit', { tenantId })),
          await rpcError(clients.audit[1].call('verifyAudit', { tenantId })),
        ];
        const listed = await clients.config[2].call('listProviderKeys', { tenantId });
        const verified = await clients.audit[2].call('verifyAudit', { tenantId });

        expect(refused.map((error) => error.code)).toEqual(Array(4).fill(status.PERMISSION_DENIED));
        expect(listed.providerKeys.map((key) => key.id)).toContain(keyId);
        expect(verified).toBeDefined();
      } finally {
        for (const client of [...clients.config, ...clients.audit]) client.close();
      }
    });
  });

  describe('a provider that echoes the key', () => {
    it('relays its error with the exact secret removed from the body and the headers', async () => {
      const echoed = oddlyShapedSecret();
      const created = await owner.request('POST', '/x-keys', {
        SecretKey: echoed,
        Name: 'echo',
        Level: 2,
        Provider: echo.url,
        Status: true,
      });
      const conf = await owner.request('POST', '/x-conf', { LevelMapper: 'echo*=2' });
      await eventually(async () =>
        (await owner.chat('echo-model')).status === 400 ? true : undefined,
      );

      const response = await fetch(`${owner.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo-model', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      const text = await response.text();
      const headers = JSON.stringify([...response.headers]);

      expect([created.status, conf.status]).toEqual([201, 200]);
      expect(echo.saw(echoed)).toBe(true);
      expect(response.status).toBe(400);
      expect(text).toContain('[redacted]');
      expect(headers).toContain('x-ratelimit-limit-requests');
      for (const form of encodingsOf(echoed)) {
        expect(text).not.toContain(form);
        expect(headers).not.toContain(form);
      }
    });
  });

  describe('warm plaintexts and destroyed credential slots', () => {
    async function issueMember(name: string): Promise<{ id: string; client: GatewayClient }> {
      const issued = await owner.request('POST', '/x-virtual-keys', { Name: name, Role: 'member' });
      expect(issued.status).toBe(201);

      return { id: String(issued.json.ID), client: owner.with({ key: String(issued.json.Key) }) };
    }

    // With the member's own credential: key-vault removes a slot only for one that opens it.
    async function destroySlot(member: { id: string; client: GatewayClient }): Promise<void> {
      const { removed } = await vault.call('removeCredentialSlot', {
        tenantId,
        slotId: member.id,
        graceSeconds: 0,
        credential: {
          slotId: member.id,
          wrappingSecret: virtualKeyWrappingSecret(member.client.key),
        },
      });
      expect(removed).toBe(true);
    }

    it('serves no cached key to a record whose slot is gone, on any replica', async () => {
      const member = await issueMember('slotless');
      await destroySlot(member);
      const warm = await Promise.all(replicas.map((replica) => replica.chat()));
      const calledBefore = sealedFor.received.length;

      const answers = await Promise.all(
        replicas.map((replica) => member.client.with({ baseUrl: replica.baseUrl }).chat()),
      );

      expect(warm.map((answer) => answer.status)).toEqual([200, 200]);
      expect(answers.map((answer) => answer.status)).toEqual([502, 502]);
      expect(answers.map((answer) => (answer.json.error as { code: string }).code)).toEqual([
        'provider_key_unavailable',
        'provider_key_unavailable',
      ]);
      expect(sealedFor.received.length).toBe(calledBefore);
    });

    it('stops serving a credential its own warm plaintext within two seconds of a key change', async () => {
      const member = await issueMember('revoked-later');
      const onReplicas = replicas.map((replica) =>
        member.client.with({ baseUrl: replica.baseUrl }),
      );
      const warm = await Promise.all(onReplicas.map((client) => client.chat()));
      await destroySlot(member);

      // Any virtual-key change of the tenant reaches every replica on the config stream.
      await issueMember('another');
      const changedAt = Date.now();
      const refusedAt = await Promise.all(
        onReplicas.map((client) =>
          eventually(async () => ((await client.chat()).status === 502 ? Date.now() : undefined)),
        ),
      );

      expect(warm.map((answer) => answer.status)).toEqual([200, 200]);
      expect(refusedAt.map((at) => at - changedAt < 2_000)).toEqual([true, true]);
    });
  });
});
