import type { AttemptDetail, RequestAuditEvent } from '@xai/events';
import { MetricCapture } from '@xai/telemetry';

import { RequestTrace } from '../audit/request-trace';
import { GatewayMetrics } from './gateway-metrics';

const CALLER = {
  tenantId: 'tenant-7c1f',
  virtualKeyId: 'vk-3b9e',
  role: 'VIRTUAL_KEY_ROLE_OWNER' as const,
  wrappingSecret: Buffer.from('wrapping-secret-canary'),
};

function chatCall(
  changes: Partial<RequestTrace> = {},
  extraAttempts: AttemptDetail[] = [],
): RequestAuditEvent {
  const trace = new RequestTrace('req-1', '/v1/chat/completions');
  Object.assign(trace, {
    caller: CALLER,
    level: 1,
    providerKeyId: 'pk-secret-id-1',
    providerType: 'openai',
    requestedModel: 'gpt-4',
    upstreamModel: 'gpt-4-turbo',
    attempts: 1,
    usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42 },
    ...changes,
  });
  trace.recordAttempt({ providerKeyId: 'pk-secret-id-1', status: 200, errorClass: null, ms: 5 });
  for (const attempt of extraAttempts) trace.recordAttempt(attempt);
  trace.markFirstByte();
  const event = trace.toEvent();
  if (!event) throw new Error('the trace has a caller, so it has an event');

  return event;
}

describe(GatewayMetrics.name, () => {
  let capture: MetricCapture;
  let metrics: GatewayMetrics;

  beforeEach(() => {
    capture = new MetricCapture();
    metrics = new GatewayMetrics(capture.meter, capture.series);
  });

  afterEach(async () => {
    await capture.shutdown();
  });

  it('records a successful call under the GenAI names, with bounded labels', async () => {
    metrics.recordCall(chatCall());

    const [duration] = await capture.points('gen_ai.client.operation.duration');
    expect(duration.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4-turbo',
      'xai.endpoint': '/v1/chat/completions',
      'xai.level': 1,
    });
    expect(duration.value).toBe(1);
    expect(await capture.total('gen_ai.server.time_to_first_token')).toBe(1);
    expect(
      await capture.total('xai.gateway.upstream.attempts', { 'xai.attempt.outcome': 'success' }),
    ).toBe(1);
  });

  it('records input and output tokens as the provider reported them', async () => {
    metrics.recordCall(chatCall());

    const tokens = await capture.points('gen_ai.client.token.usage');

    const byType = Object.fromEntries(
      tokens.map((point) => [point.attributes['gen_ai.token.type'], point.sum]),
    );
    expect(byType).toEqual({ input: 12, output: 30 });
  });

  it('counts each failed attempt by error class, and the failed call by its error type', async () => {
    const call = chatCall({ status: 503, errorClass: 'upstream', usage: null }, [
      { providerKeyId: 'pk-2', status: null, errorClass: 'timeout', ms: 10 },
      { providerKeyId: 'pk-3', status: 500, errorClass: 'server_error', ms: 3 },
    ]);

    metrics.recordCall(call);

    expect(await capture.total('xai.gateway.upstream.attempts')).toBe(3);
    expect(await capture.total('xai.gateway.upstream.errors', { 'error.type': 'timeout' })).toBe(1);
    expect(await capture.total('xai.gateway.upstream.errors')).toBe(2);
    const [duration] = await capture.points('gen_ai.client.operation.duration');
    expect(duration.attributes['error.type']).toBe('upstream');
    // A model that failed is the caller's free text: it is not a label.
    expect(duration.attributes['gen_ai.request.model']).toBeUndefined();
    expect(await capture.total('gen_ai.server.time_to_first_token')).toBe(0);
  });

  it('spends no label set of an instrument on calls that record nothing into it', async () => {
    for (let level = 1; level <= 2_500; level++) {
      metrics.recordCall(chatCall({ status: 502, errorClass: 'upstream', usage: null, level }));
    }

    metrics.recordCall(chatCall({ level: 9_999 }));

    const [firstToken] = await capture.points('gen_ai.server.time_to_first_token');
    expect(firstToken.attributes['xai.level']).toBe(9_999);
    const tokens = await capture.points('gen_ai.client.token.usage');
    expect(tokens.map((point) => point.attributes['gen_ai.token.type']).sort()).toEqual([
      'input',
      'output',
    ]);
  });

  it("counts a provider's redirect as a failure: no first token, no model label", async () => {
    metrics.recordCall(
      chatCall({ status: 301, errorCode: 'upstream_301', upstreamModel: 'made-up', usage: null }),
    );

    const [duration] = await capture.points('gen_ai.client.operation.duration');
    expect(duration.attributes['gen_ai.request.model']).toBeUndefined();
    expect(duration.attributes['error.type']).toBe('upstream_301');
    expect(await capture.total('gen_ai.server.time_to_first_token')).toBe(0);
  });

  it('caps the model names it keeps as labels', async () => {
    for (let index = 0; index < 205; index++) {
      metrics.recordCall(chatCall({ upstreamModel: `model-${index}` }));
    }

    const models = new Set(
      (await capture.points('gen_ai.client.operation.duration')).map(
        (point) => point.attributes['gen_ai.request.model'],
      ),
    );
    expect(models.size).toBe(201);
    expect(models.has('_other')).toBe(true);
  });

  it('never labels with the tenant, the virtual key or the provider key', async () => {
    metrics.recordCall(chatCall());
    metrics.recordHttp('POST', '/v1/chat/completions', 200, 0.01);

    const names = [
      'gen_ai.client.operation.duration',
      'gen_ai.client.token.usage',
      'xai.gateway.upstream.attempts',
      'http.server.request.duration',
    ];
    const labels = JSON.stringify(await Promise.all(names.map((name) => capture.points(name))));
    for (const secret of ['tenant-7c1f', 'vk-3b9e', 'pk-secret-id-1', 'wrapping-secret-canary']) {
      expect(labels).not.toContain(secret);
    }
  });

  it('records HTTP answers by route pattern and status, unmatched routes as one label', async () => {
    metrics.recordHttp('GET', '/x-keys/:id', 404, 0.002);
    metrics.recordHttp('GET', undefined, 404, 0.001);

    const points = await capture.points('http.server.request.duration');

    expect(points.map((point) => point.attributes)).toEqual([
      {
        'http.request.method': 'GET',
        'http.route': '/x-keys/:id',
        'http.response.status_code': 404,
      },
      {
        'http.request.method': 'GET',
        'http.route': '_unmatched',
        'http.response.status_code': 404,
      },
    ]);
  });

  it('measures config-change lag from the stream entry id', async () => {
    metrics.recordConfigChange(`${Date.now() - 1500}-0`);
    metrics.recordConfigChange('not-an-id');

    const [lag] = await capture.points('xai.gateway.config_stream.lag');

    expect(lag.value).toBe(1);
    expect(lag.sum).toBeGreaterThanOrEqual(1.5);
    expect(lag.sum).toBeLessThan(3);
  });
});
