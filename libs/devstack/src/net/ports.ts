import { readFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';

/** Thrown when a port the user asked for is already taken. */
export class PortInUseException extends Error {
  constructor(
    readonly port: number,
    hint: string,
  ) {
    super(`Port ${port} on 127.0.0.1 is already in use. ${hint}`);
    this.name = PortInUseException.name;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The lowest port handed out for services; below it are well-known and registered services. */
const LOWEST_PORT = 20_000;
/** Linux's default start of the ephemeral range, when the machine's cannot be read. */
const DEFAULT_EPHEMERAL_START = 32_768;

/**
 * `count` distinct free ports on 127.0.0.1 for services to bind. They are chosen below the
 * machine's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), where the OS picks the
 * local ports of outgoing connections: a port asked of the OS (`listen(0)`) comes from that
 * range, and between its release and the service binding it any new connection (a load
 * generator's, a database client's) may take it. All listeners are held open until every port
 * is known, so the same port is never handed out twice; another program may still take one
 * before the service binds it, which the service's start error then names.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ephemeralStart = await ephemeralRangeStart();
  const servers: Server[] = [];
  const tried = new Set<number>();
  const span = ephemeralStart - LOWEST_PORT;
  while (span > count * 4 && servers.length < count && tried.size < count * 64) {
    const port = LOWEST_PORT + Math.floor(Math.random() * span);
    if (tried.has(port)) continue;
    tried.add(port);
    const server = await listen(port).catch(() => undefined);
    if (server) servers.push(server);
  }
  // A machine whose ephemeral range starts low, or whose low ports are all taken: the OS's.
  while (servers.length < count) servers.push(await listen(0));
  const ports = servers.map((server) => {
    const address = server.address();

    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map(close));

  return ports;
}

async function ephemeralRangeStart(): Promise<number> {
  try {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const start = Number.parseInt(range.trim().split(/\s+/)[0] ?? '', 10);

    return Number.isInteger(start) && start > 0 ? start : DEFAULT_EPHEMERAL_START;
  } catch {
    return DEFAULT_EPHEMERAL_START;
  }
}

/** True when nothing listens on `port` of 127.0.0.1. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));

    return true;
  } catch {
    return false;
  }
}
