/** A minimal client of the management API for end-to-end tests, keeping every body it read. */
export class AdminClient {
  readonly responses: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    this.responses.push(text);

    return {
      status: response.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
    };
  }
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every way a secret could be written down: plain, hex and base64. */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');

  return [secret, bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
}
