import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { request } from 'undici';

import { startBareProxy } from './bare-proxy';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('startBareProxy', () => {
  let upstream: Server;
  let proxy: Server;
  let proxyUrl: string;
  const seen: Array<{ method?: string; url?: string; body: string }> = [];

  beforeAll(async () => {
    upstream = createServer((incoming, response) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => {
        seen.push({ method: incoming.method, url: incoming.url, body });
        if (incoming.url === '/stream') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('data: 1\n\n');
          setTimeout(() => response.end('data: 2\n\n'), 50);

          return;
        }
        response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        response.end('{"ok":true}');
      });
    });
    const upstreamUrl = await listen(upstream);
    proxy = await startBareProxy({ port: 0, host: '127.0.0.1', upstream: upstreamUrl });
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await close(proxy);
    upstream.closeAllConnections();
    await close(upstream);
  });

  it('forwards the method, path, body and answer unchanged', async () => {
    const response = await request(`${proxyUrl}/v1/chat?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m"}',
    });
    const text = await response.body.text();

    expect(response.statusCode).toBe(201);
    expect(response.headers['x-upstream']).toBe('yes');
    expect(text).toBe('{"ok":true}');
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/chat?x=1',
      body: '{"model":"m"}',
    });
  });

  it('passes the first chunk of a stream on before the upstream has finished', async () => {
    const startedAt = Date.now();
    const response = await request(`${proxyUrl}/stream`);
    const chunks: number[] = [];
    for await (const chunk of response.body)
      if ((chunk as Buffer).length > 0) chunks.push(Date.now() - startedAt);

    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[chunks.length - 1] - chunks[0]).toBeGreaterThanOrEqual(40);
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const dead = await startBareProxy({
      port: 0,
      host: '127.0.0.1',
      upstream: 'http://127.0.0.1:1',
    });
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;

    const response = await request(`${deadUrl}/anything`);
    await response.body.dump();
    dead.closeAllConnections();
    await close(dead);

    expect(response.statusCode).toBe(502);
  });
});
