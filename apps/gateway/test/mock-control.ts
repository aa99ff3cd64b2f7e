/** A recorded request of the mock provider. */
export interface MockRequest {
  method: string;
  path: string;
  apiKey: string | null;
  model: string | null;
  status?: number;
}

/** What a test can ask the mock provider to do (see apps/mock-provider behaviours). */
export interface MockBehaviour {
  apiKey?: string;
  model?: string;
  path?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  chunkDelayMs?: number;
  failAfterChunks?: number;
  failMode?: 'reset' | 'error-event' | 'close';
  times?: number;
}

/** The mock provider's control API. */
export class MockControl {
  constructor(private readonly baseUrl: string) {}

  async behave(rule: MockBehaviour): Promise<void> {
    const response = await fetch(`${this.baseUrl}/_mock/behaviours`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    if (response.status !== 201) throw new Error(`behaviour refused: ${await response.text()}`);
  }

  /** The requests the mock received with `apiKey`, oldest first. */
  async requests(apiKey: string): Promise<MockRequest[]> {
    const response = await fetch(
      `${this.baseUrl}/_mock/requests?apiKey=${encodeURIComponent(apiKey)}`,
    );

    return (await response.json()) as MockRequest[];
  }

  /** How many chat completions the mock received with `apiKey`. */
  async chatCalls(apiKey: string): Promise<number> {
    return (await this.requests(apiKey)).filter((r) => r.path === '/v1/chat/completions').length;
  }
}

/** One call to the gateway's public API, read whole. */
export interface GatewayAnswer {
  status: number;
  headers: Headers;
  text: string;
  json(): Record<string, unknown>;
}

/** Sends a chat completion for `model` (streamed when asked) and reads the whole answer. */
export async function chat(
  gatewayUrl: string,
  virtualKey: string,
  model: string,
  options: { stream?: boolean } = {},
): Promise<GatewayAnswer> {
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${virtualKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'Hello' }],
      ...(options.stream ? { stream: true } : {}),
    }),
  });
  const text = await response.text();

  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}
