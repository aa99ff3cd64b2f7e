import {
  CallerProtocol,
  ProviderKeyTarget,
  ProviderType,
  TranslationException,
  chatTranslationOptionsFor,
  createChatStreamTranslator,
  providerAdapter,
  translateChatError,
  translateChatRequest,
  translateChatResponse,
  upstreamRequestHeaders,
} from '@xai/providers';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** A running bridge: an SDK pointed at `url` reaches the mock through translation. */
export interface RunningBridge {
  url: string;
  close(): Promise<void>;
}

/**
 * A minimal translating proxy for tests, standing where the gateway will: it takes OpenAI
 * (`/v1/chat/completions`) or Anthropic (`/v1/messages`) calls, translates them with
 * `@xai/providers` for a provider of `type` at `baseUrl`, and translates the answer back,
 * streaming included. It exercises the library's public API the way the gateway will wire it.
 */
export async function startTranslationBridge(
  type: ProviderType,
  key: ProviderKeyTarget,
): Promise<RunningBridge> {
  const server = createServer((request, response) => {
    bridge(type, key, request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : undefined);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return { url: `http://127.0.0.1:${port}`, close: () => close(server) };
}

async function bridge(
  type: ProviderType,
  key: ProviderKeyTarget,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const caller: CallerProtocol = request.url?.startsWith('/v1/messages') ? 'anthropic' : 'openai';
  const adapter = providerAdapter(type);
  let translated;
  try {
    translated = translateChatRequest(
      caller,
      adapter.protocol,
      await readJson(request),
      chatTranslationOptionsFor(type, key),
    );
  } catch (error) {
    if (!(error instanceof TranslationException)) throw error;
    const body =
      caller === 'anthropic'
        ? { type: 'error', error: { type: 'invalid_request_error', message: error.message } }
        : {
            error: {
              message: error.message,
              type: 'invalid_request_error',
              param: error.field,
              code: null,
            },
          };
    sendJson(response, 400, body);

    return;
  }
  const upstream = await fetch(
    adapter.url(key, { kind: 'chat', model: translated.model, stream: translated.stream }),
    {
      method: 'POST',
      headers: {
        ...upstreamRequestHeaders(adapter, key, request.headers, caller),
        'content-type': 'application/json',
      },
      body: JSON.stringify(translated.body),
    },
  );
  if (!upstream.ok) {
    const text = await upstream.text();
    sendJson(
      response,
      upstream.status,
      translateChatError(translated.context, upstream.status, parseOrText(text)),
    );

    return;
  }
  if (!translated.stream) {
    sendJson(response, 200, translateChatResponse(translated.context, await upstream.json()));

    return;
  }
  const translator = createChatStreamTranslator(translated.context);
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for await (const bytes of upstream.body as unknown as AsyncIterable<Uint8Array>)
    response.write(translator.push(bytes));
  response.end(translator.end());
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);

  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();

  return new Promise((done) => server.close(() => done()));
}
