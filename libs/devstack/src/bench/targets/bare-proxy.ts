import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream/promises';

import { Pool } from 'undici';

/** Headers that describe one hop, not the message; a proxy never forwards them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'expect',
]);

/** Where the bare proxy listens and what it forwards to. */
export interface BareProxyOptions {
  port: number;
  host: string;
  /** The origin every request goes to, e.g. `http://127.0.0.1:9090`. */
  upstream: string;
}

/**
 * The L2 baseline of the benchmark: the least a Node proxy can do. Each request is piped to a
 * pooled undici connection and the answer piped back, byte for byte, with no body parsing,
 * no auth, no routing and no logging. Whatever the router costs on top of this is its own.
 */
export function startBareProxy(options: BareProxyOptions): Promise<Server> {
  const pool = new Pool(options.upstream, {
    connections: 1024,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const server = createServer((request, response) => {
    void forward(pool, request, response);
  });
  server.keepAliveTimeout = 30_000;
  server.on('close', () => void pool.close());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

async function forward(
  pool: Pool,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const abort = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  try {
    const upstream = await pool.request({
      path: request.url ?? '/',
      method: request.method ?? 'GET',
      headers: endToEnd(request.headers),
      body: hasBody(request) ? request : undefined,
      signal: abort.signal,
    });
    response.writeHead(upstream.statusCode, endToEnd(upstream.headers));
    await pipeline(upstream.body, response);
  } catch {
    if (!response.headersSent) response.writeHead(502).end();
    else response.destroy();
  }
}

function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['content-length'] !== undefined ||
    request.headers['transfer-encoding'] !== undefined
  );
}

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }

  return kept;
}
