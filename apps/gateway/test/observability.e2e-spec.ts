import { RunningStack, freePorts } from '@xai/devstack';
import OpenAI from 'openai';

import { encodingsOf, eventually } from './admin-client';
import { startOneKeyStack } from './one-key-stack';

const PROVIDER_SECRET = 'sk-canary-metrics-5d2b8e1f9a7c3e60b4d1';

/** The value of the first series named `name` whose labels include every `labels` pair. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) =>
      line.includes(`${key}="${value}"`),
    );
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  return Number.NaN;
}

describe('Prometheus metrics, through the real services as processes', () => {
  let stack: RunningStack;
  let ports: { gateway: number; keyVault: number; config: number; auditLog: number };
  let openai: OpenAI;

  const scrape = async (port: number): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);

    return response.text();
  };

  beforeAll(async () => {
    const [gateway, keyVault, config, auditLog] = await freePorts(4);
    ports = { gateway, keyVault, config, auditLog };
    ({ stack, openai } = await startOneKeyStack(PROVIDER_SECRET, {
      gateway: { XAI_METRICS_PORT: String(gateway) },
      'key-vault': { XAI_METRICS_PORT: String(keyVault) },
      config: { XAI_METRICS_PORT: String(config) },
      'audit-log': { XAI_METRICS_PORT: String(auditLog) },
    }));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('counts a chat call on the gateway under the GenAI names', async () => {
    const answer = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const streamed = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello again' }],
      stream: true,
    });
    for await (const chunk of streamed) void chunk;

    const text = await scrape(ports.gateway);

    const chat = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai' };
    expect(sample(text, 'gen_ai_client_operation_duration_count', chat)).toBe(2);
    expect(sample(text, 'gen_ai_server_time_to_first_token_count', chat)).toBe(2);
    expect(
      sample(text, 'gen_ai_client_token_usage_sum', { ...chat, gen_ai_token_type: 'input' }),
    ).toBeGreaterThanOrEqual(answer.usage?.prompt_tokens ?? 1);
    expect(
      sample(text, 'xai_gateway_upstream_attempts_total', { xai_attempt_outcome: 'success' }),
    ).toBe(2);
    expect(
      sample(text, 'http_server_request_duration_count', {
        http_route: '/v1/chat/completions',
        http_response_status_code: '200',
      }),
    ).toBe(2);
    expect(sample(text, 'xai_gateway_provider_keys', { xai_key_state: 'active' })).toBe(1);
    expect(sample(text, 'xai_gateway_config_stream_connected')).toBe(1);
    expect(sample(text, 'xai_gateway_audit_dropped_total')).toBe(0);
  });

  it('counts the decrypt on key-vault, and the ingested events on audit-log', async () => {
    const keyVault = await scrape(ports.keyVault);
    const decrypts = { xai_key_operation: 'decrypt', xai_outcome: 'ok' };

    expect(sample(keyVault, 'xai_key_vault_operations_total', decrypts)).toBe(1);
    expect(sample(keyVault, 'xai_key_vault_operation_duration_count', decrypts)).toBe(1);
    const requests = await eventually(async () => {
      const count = sample(await scrape(ports.auditLog), 'xai_audit_log_events_ingested_total', {
        xai_event_type: 'request',
      });

      return count >= 2 ? count : undefined;
    });
    expect(requests).toBe(2);
  });

  it('serves each service on its own port, and config too', async () => {
    const config = await scrape(ports.config);

    expect(config).toContain('service_name="xai-config"');
  });

  it('never shows a provider key or a virtual key, in any encoding', async () => {
    const scrapes = await Promise.all(Object.values(ports).map((port) => scrape(port)));

    for (const secret of [PROVIDER_SECRET, stack.ownerKey]) {
      for (const encoded of encodingsOf(secret)) {
        for (const text of scrapes) expect(text).not.toContain(encoded);
      }
    }
  });
});
