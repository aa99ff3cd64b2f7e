import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** How a {@link RecordingUpstream} answers. */
export type UpstreamMode =
  /** An OpenAI chat completion. */
  | 'complete'
  /** A 400 that echoes the presented key in its body (plain and base64) and in headers. */
  | 'echo-key';

/** One request the upstream received: everything a key could hide in. */
export interface ReceivedRequest {
  path: string;
  headers: string;
  body: string;
}

/**
 * A provider stand-in on 127.0.0.1 that records every request (headers and body), so a test can
 * prove that a secret never reached it, and that can play a provider that echoes the key back.
 */
export class RecordingUpstream {
  readonly received: ReceivedRequest[] = [];
  private readonly server: Server;

  private constructor(private readonly mode: UpstreamMode) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  /** Starts one on a free port. */
  static async start(mode: UpstreamMode): Promise<RecordingUpstream> {
    const upstream = new RecordingUpstream(mode);
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));

    return upstream;
  }

  /** The base URL to give a provider key. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Whether any request carried `text` anywhere. */
  saw(text: string): boolean {
    return this.received.some(
      (request) => request.headers.includes(text) || request.body.includes(text),
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.received.push({
      path: request.url ?? '',
      headers: JSON.stringify(request.headers),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (this.mode === 'echo-key') {
      echoKey(response, key);

      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(COMPLETION));
  }
}

function echoKey(response: ServerResponse, key: string): void {
  const encoded = Buffer.from(key, 'utf8').toString('base64');
  response.writeHead(400, {
    'content-type': 'application/json',
    'x-ratelimit-limit-requests': key,
    'x-request-id': `req-${key}`,
  });
  response.end(
    JSON.stringify({
      error: {
        message: `Incorrect API key provided: ${key} (base64 ${encoded})`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    }),
  );
}

const COMPLETION = {
  id: 'chatcmpl-recording',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};
