import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningStack } from '@xai/devstack';
import OpenAI from 'openai';

import { encodingsOf, eventually } from './admin-client';
import { startOneKeyStack } from './one-key-stack';

const PROVIDER_SECRET = 'sk-canary-traces-8a4c2e7b1d9f3a5c6e0b';
const CHAT_PATH = '/v1/chat/completions';
/** OTLP span kinds. */
const SERVER = 2;
const CLIENT = 3;

/** One span as OTLP/JSON carries it, with its service's name. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  name: string;
  kind: number;
  links: { traceId: string }[];
  attributes: { key: string; value: { stringValue?: string } }[];
}

interface OtlpBody {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Omit<ReceivedSpan, 'service'>[] }[];
  }[];
}

/** A minimal OTLP/HTTP receiver (JSON protocol) on loopback that keeps what it is sent. */
class OtlpReceiver {
  readonly bodies: string[] = [];
  private readonly server: Server = createServer((request, response) =>
    this.take(request, response),
  );

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));

    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }

  spans(): ReceivedSpan[] {
    return this.bodies.flatMap((body) =>
      ((JSON.parse(body) as OtlpBody).resourceSpans ?? []).flatMap((resourceSpans) => {
        const service =
          resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')
            ?.value.stringValue ?? '';

        return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
          (scope.spans ?? []).map((span) => ({
            ...span,
            links: span.links ?? [],
            attributes: span.attributes ?? [],
            service,
          })),
        );
      }),
    );
  }

  private take(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') this.bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }
}

describe('OpenTelemetry traces, through the real services as processes', () => {
  const receiver = new OtlpReceiver();
  let stack: RunningStack;
  let openai: OpenAI;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    ({ stack, openai } = await startOneKeyStack(PROVIDER_SECRET, {
      gateway: otel,
      'key-vault': otel,
      config: otel,
      'audit-log': otel,
    }));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  }, 60_000);

  it('traces a chat call across gateway, key-vault and the upstream call, and links its audit', async () => {
    await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });

    const server = await eventually(async () =>
      receiver
        .spans()
        .find(
          (span) =>
            span.service === 'xai-gateway' &&
            span.kind === SERVER &&
            span.attributes.some((attribute) => attribute.value.stringValue === CHAT_PATH),
        ),
    );
    const inTrace = await eventually(async () => {
      const spans = receiver.spans().filter((span) => span.traceId === server.traceId);

      return spans.some((span) => span.service === 'xai-key-vault') ? spans : undefined;
    });
    const ingest = await eventually(async () =>
      receiver
        .spans()
        .find(
          (span) =>
            span.service === 'xai-audit-log' &&
            span.links.some((link) => link.traceId === server.traceId),
        ),
    );

    const kinds = new Set(inTrace.map((span) => `${span.service} ${span.kind}`));
    // Gateway: server (2) and clients (3: gRPC to key-vault, undici to the provider); key-vault: server.
    expect([...kinds]).toEqual(
      expect.arrayContaining([`xai-gateway ${CLIENT}`, `xai-key-vault ${SERVER}`]),
    );
    const upstream = inTrace.find(
      (span) =>
        span.kind === CLIENT &&
        span.attributes.some((a) => a.value.stringValue?.startsWith(stack.mockProviderUrl ?? '-')),
    );
    expect(upstream?.service).toBe('xai-gateway');
    expect(ingest.name).toBe('audit-log ingest');
  });

  it('puts no provider key, virtual key or credential header on any span', async () => {
    const everything = receiver.bodies.join('\n');

    expect(everything.length).toBeGreaterThan(0);
    for (const secret of [PROVIDER_SECRET, stack.ownerKey]) {
      for (const encoded of encodingsOf(secret)) expect(everything).not.toContain(encoded);
    }
    expect(everything.toLowerCase()).not.toMatch(/header\.(authorization|x-api-key|api-key)/);
    expect(everything).not.toContain('Hello');
  });
});
