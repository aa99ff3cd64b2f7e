import { GatewayConfig } from '../gateway.config';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { UpstreamCall, UpstreamClient } from '../proxy/upstream.client';
import { KeyHealthService } from './key-health.service';
import { KeyProbeJob } from './key-probe.queue';
import { KeyProber } from './key-prober';

const SECRET = 'sk-probe-secret-0001';

function job(
  providerType: string,
  baseUrl: string,
  settings?: Record<string, unknown>,
): KeyProbeJob {
  return {
    id: `key-${providerType}`,
    tenantId: 'tenant-1',
    revision: 'r1',
    baseUrl,
    providerType,
    privateLiteralHost: false,
    settings,
    until: 0,
  };
}

/** A prober whose provider answers every call with `status`, recording what it was sent. */
function prober(status = 200) {
  const calls: UpstreamCall[] = [];
  const health = {
    claimTrial: jest.fn().mockResolvedValue(true),
    report: jest.fn().mockResolvedValue({ kind: 'active' }),
  };
  const upstream = {
    send: jest.fn((call: UpstreamCall) => {
      calls.push(call);

      return Promise.resolve({
        statusCode: status,
        headers: {},
        body: { text: async () => '{}', dump: async () => undefined },
      });
    }),
  };
  const secrets = { cached: jest.fn().mockReturnValue(SECRET) };
  const config = { XAI_ALLOW_PRIVATE_UPSTREAMS: false } as GatewayConfig;
  const instance = new KeyProber(
    health as unknown as KeyHealthService,
    secrets as unknown as ProviderSecretStore,
    upstream as unknown as UpstreamClient,
    config,
  );

  return { instance, calls, health };
}

describe(KeyProber.name, () => {
  it.each([
    ['openai', 'https://api.openai.com', {}, 'https://api.openai.com/v1/models', 'authorization'],
    [
      'anthropic',
      'https://api.anthropic.com',
      {},
      'https://api.anthropic.com/v1/models',
      'x-api-key',
    ],
    [
      'gemini',
      'https://generativelanguage.googleapis.com',
      {},
      'https://generativelanguage.googleapis.com/v1beta/models',
      'x-goog-api-key',
    ],
    [
      'azure',
      'https://res.openai.azure.com',
      { api_version: '2024-10-21' },
      'https://res.openai.azure.com/openai/models?api-version=2024-10-21',
      'api-key',
    ],
  ])(
    'probes a %s key through its adapter’s model list',
    async (type, base, settings, url, auth) => {
      const { instance, calls, health } = prober();

      const outcome = await instance.probe(job(type, base, settings));

      expect(outcome).toBe('success');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ url, method: 'GET' });
      expect(calls[0].headers[auth]).toContain(SECRET);
      expect(health.report).toHaveBeenCalledWith(expect.objectContaining({ id: `key-${type}` }), {
        kind: 'success',
      });
    },
  );

  it('sends Anthropic’s version header with the probe', async () => {
    const { instance, calls } = prober();

    await instance.probe(job('anthropic', 'https://api.anthropic.com'));

    expect(calls[0].headers['anthropic-version']).toBe('2023-06-01');
  });

  it('reports a refused key as dead', async () => {
    const { instance } = prober(401);

    expect(await instance.probe(job('gemini', 'https://generativelanguage.googleapis.com'))).toBe(
      'fatal',
    );
  });

  it('leaves a key of an unknown type alone', async () => {
    const { instance, calls } = prober();

    expect(await instance.probe(job('mystery', 'https://example.com'))).toBe('unsupported');
    expect(calls).toHaveLength(0);
  });
});
