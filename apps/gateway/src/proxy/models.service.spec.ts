import { ProviderKey } from '@xai/contracts';

import { Caller } from '../auth/caller';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayConfig } from '../gateway.config';
import { TenantRouting } from '../routing/tenant-routing';
import { ModelsService } from './models.service';
import { UpstreamClient } from './upstream.client';

const caller: Caller = {
  tenantId: 'tenant-1',
  virtualKeyId: 'vk-1',
  role: 'VIRTUAL_KEY_ROLE_OWNER',
  wrappingSecret: Buffer.alloc(32),
};

function providerKey(id: string, providerType: string, provider: string, config = {}): ProviderKey {
  return {
    id,
    tenantId: 'tenant-1',
    name: id,
    level: 1,
    provider,
    status: true,
    providerType,
    configJson: JSON.stringify(config),
    secretHint: '…abcd',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function routing(keys: ProviderKey[]): TenantRouting {
  return TenantRouting.fromSnapshot({
    members: [],
    config: { levelMapper: '', modelMapper: '', switchOver: '', defaultLevel: 1, version: 1 },
    providerKeys: keys,
  });
}

/** An upstream that answers each URL from a table, and records what it was asked. */
function upstreamOf(answers: Record<string, unknown>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const upstream = {
    send: async (request: { url: string; headers: Record<string, string> }) => {
      calls.push(request);
      const body = answers[request.url];

      return {
        statusCode: body === undefined ? 404 : 200,
        body: { json: async () => body ?? { error: { message: 'not found' } } },
      };
    },
  } as unknown as UpstreamClient;

  return { upstream, calls };
}

function service(upstream: UpstreamClient): ModelsService {
  const secrets = { secretFor: async () => 'sk-secret' } as unknown as ProviderSecretStore;
  const config = { XAI_ALLOW_PRIVATE_UPSTREAMS: true } as GatewayConfig;

  return new ModelsService(secrets, upstream, config);
}

describe(ModelsService.name, () => {
  it('lists the models of Anthropic, Gemini and Azure keys, each through its own API', async () => {
    const { upstream, calls } = upstreamOf({
      'https://api.anthropic.com/v1/models?limit=1000': {
        data: [{ type: 'model', id: 'claude-a', created_at: '2025-01-01T00:00:00Z' }],
        has_more: true,
        last_id: 'claude-a',
      },
      'https://api.anthropic.com/v1/models?limit=1000&after_id=claude-a': {
        data: [{ type: 'model', id: 'claude-b', created_at: '2025-02-01T00:00:00Z' }],
        has_more: false,
        last_id: 'claude-b',
      },
      'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000': {
        models: [
          { name: 'models/gemini-x', supportedGenerationMethods: ['generateContent'] },
          { name: 'models/embed-y', supportedGenerationMethods: ['embedContent'] },
        ],
      },
    });
    const tenant = routing([
      providerKey('a', 'anthropic', 'https://api.anthropic.com'),
      providerKey('g', 'gemini', 'https://generativelanguage.googleapis.com'),
      providerKey('z', 'azure', 'https://res.openai.azure.com', {
        provider_type: 'azure',
        deployments: { 'gpt-4o': 'prod-4o' },
      }),
    ]);

    const models = await service(upstream).list(caller, tenant, 'req_1');

    expect(models.map((model) => model.id)).toEqual(['claude-a', 'claude-b', 'gemini-x', 'gpt-4o']);
    expect(models[0]).toMatchObject({
      object: 'model',
      owned_by: 'anthropic',
      created: 1735689600,
    });
    expect(calls[0].headers).toMatchObject({
      'x-api-key': 'sk-secret',
      'anthropic-version': expect.any(String),
    });
    expect(calls.find((call) => call.url.includes('v1beta'))?.headers).toMatchObject({
      'x-goog-api-key': 'sk-secret',
    });
  });
});
