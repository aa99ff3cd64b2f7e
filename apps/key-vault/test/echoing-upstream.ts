import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Models the {@link EchoingUpstream} answers by echoing the key it was sent, each a way a
 * provider (or a proxy in front of one) could give a key back.
 */
export const ECHO_MODELS = {
  /** A 200 chat completion whose content holds the key. */
  inAnswer: 'echo-in-answer',
  /** A 200 event stream whose event holds the key, cut between two network chunks. */
  splitInStream: 'echo-split-in-stream',
  /** A 400 whose JSON body holds the key behind `\u0063`-style escapes, percent- and hex-encoded. */
  escapedInError: 'echo-escaped-in-error',
} as const;

/** How the key is written in {@link ECHO_MODELS.escapedInError}'s body. */
export function escapedForms(key: string): string[] {
  const bytes = [...Buffer.from(key, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0'));

  return [
    [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    bytes.map((pair) => `%${pair}`).join(''),
    bytes.join(':'),
  ];
}

/**
 * A provider stand-in on 127.0.0.1 that counts the requests carrying a text and, for the
 * models of {@link ECHO_MODELS}, echoes the presented key; any other model gets a plain
 * completion.
 */
export class EchoingUpstream {
  readonly received: string[] = [];
  private readonly server = createServer(
    (request, response) => void this.handle(request, response),
  );

  /** Starts one on a free port. */
  static async start(): Promise<EchoingUpstream> {
    const upstream = new EchoingUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));

    return upstream;
  }

  /** The base URL to give a provider key. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** How many requests carried `text` (in a header or the body). */
  saw(text: string): number {
    return this.received.filter((request) => request.includes(text)).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.received.push(JSON.stringify(request.headers) + body);
    const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const model = modelOf(body);
    if (model === ECHO_MODELS.splitInStream) return splitInStream(response, key);
    if (model === ECHO_MODELS.escapedInError) return escapedInError(response, key);

    const content = model === ECHO_MODELS.inAnswer ? `you sent ${key}` : 'Hello.';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(completion(content)));
  }
}

function modelOf(body: string): string {
  try {
    const { model } = JSON.parse(body) as { model?: unknown };

    return typeof model === 'string' ? model : '';
  } catch {
    return '';
  }
}

async function splitInStream(response: ServerResponse, key: string): Promise<void> {
  const event = `data: ${JSON.stringify(chunk(`you sent ${key}`))}\n\n`;
  const cut = event.indexOf(key) + Math.floor(key.length / 2);
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(`data: ${JSON.stringify(chunk('Hello.'))}\n\n`);
  // Two writes a moment apart arrive as two chunks: the key is cut between them.
  response.write(event.slice(0, cut));
  await new Promise((resolve) => setTimeout(resolve, 50));
  response.write(event.slice(cut));
  response.end('data: [DONE]\n\n');
}

function escapedInError(response: ServerResponse, key: string): void {
  const [unicode, percent, hex] = escapedForms(key);
  response.writeHead(400, { 'content-type': 'application/json' });
  response.end(
    `{"error":{"message":"Incorrect API key provided: ${unicode} (${percent}, ${hex})",` +
      '"type":"invalid_request_error","code":"invalid_api_key"}}',
  );
}

function chunk(content: string): object {
  return {
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content } }],
  };
}

function completion(content: string): object {
  return {
    id: 'chatcmpl-echo',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  };
}
