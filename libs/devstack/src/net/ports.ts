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

/**
 * Asks the OS for `count` distinct free ports on 127.0.0.1. All listeners are held open until
 * every port is known, so the same port is never handed out twice; another program may still
 * take one before the service binds it, which the service's start error then names.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listen(0)));
  const ports = servers.map((server) => {
    const address = server.address();

    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map(close));

  return ports;
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
