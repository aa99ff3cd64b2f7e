import { Server } from 'node:net';

/**
 * Preloaded (`node -r`) into the Portkey gateway, whose launcher listens on every interface
 * with no option to choose one: a listen on a bare port is bound to 127.0.0.1 instead, so the
 * benchmark exposes nothing beyond this machine.
 */
type Listen = (this: Server, ...args: unknown[]) => Server;

const original = Reflect.get(Server.prototype, 'listen') as Listen;
const loopbackListen: Listen = function (this: Server, ...args: unknown[]) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function')) {
    const [port, ...rest] = args;

    return original.call(this, port, '127.0.0.1', ...rest.filter((arg) => arg !== undefined));
  }

  return original.apply(this, args);
};
Server.prototype.listen = loopbackListen;
