import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Agent } from 'undici';

import { probeStream } from './stream-probe';

const EVENTS = 5;
const GAP_MS = 100;

/** An SSE server that sends its events 100 ms apart, or (at /batched) all in one write. */
function sseServer(): Promise<Server> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const frames = Array.from({ length: EVENTS }, (_, index) => `data: {"n":${index}}\n\n`);
    if (request.url === '/batched') {
      response.end(frames.join(''));

      return;
    }
    let sent = 0;
    const timer = setInterval(() => {
      response.write(frames[sent++]);
      if (sent < EVENTS) return;
      clearInterval(timer);
      response.end();
    }, GAP_MS);
  });

  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('probeStream', () => {
  let server: Server;
  let origin: string;
  const agent = new Agent();

  beforeAll(async () => {
    server = await sseServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sees paced events as separate arrivals with their gaps', async () => {
    const request = { origin, path: '/paced', headers: {}, body: '{}' };

    const observation = await probeStream(agent, request, GAP_MS / 10);

    expect(observation).toMatchObject({ status: 200, events: EVENTS, arrivals: EVENTS, bursts: 0 });
    expect(Math.min(...observation.gapsMs)).toBeGreaterThan(GAP_MS / 2);
    expect(observation.ttftMs).toBeGreaterThan(0);
  });

  it('sees events written together as one burst', async () => {
    const request = { origin, path: '/batched', headers: {}, body: '{}' };

    const observation = await probeStream(agent, request, GAP_MS / 10);

    expect(observation).toMatchObject({ events: EVENTS, arrivals: 1, bursts: 1 });
  });

  it('reports a connection failure instead of throwing', async () => {
    const request = { origin: 'http://127.0.0.1:1', path: '/', headers: {}, body: '{}' };

    const observation = await probeStream(agent, request, 1);

    expect(observation.error).toEqual(expect.any(String));
  });
});
