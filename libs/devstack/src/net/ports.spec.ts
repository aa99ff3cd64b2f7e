import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

import { freePorts, isPortFree } from './ports';

describe('freePorts', () => {
  it('returns distinct ports that can be bound', async () => {
    const ports = await freePorts(5);

    expect(new Set(ports).size).toBe(5);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it('chooses them below the ephemeral range, where outgoing connections take their ports', async () => {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
    const ephemeralStart = Number.parseInt(range.trim().split(/\s+/)[0] ?? '', 10);
    if (!(ephemeralStart > 20_100)) return;

    const ports = await freePorts(20);

    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralStart);
    }
  });
});

describe('isPortFree', () => {
  it('says false for a port something listens on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const free = await isPortFree(port);

    await new Promise((resolve) => server.close(resolve));
    expect(free).toBe(false);
  });
});
