/** What `xai start` was asked to do. */
export interface StartArgs {
  command: 'start' | 'help';
  /** `--port N`: the gateway's port. */
  port?: number;
  /** `--logs`: echo every service's output lines on the terminal. */
  echoLogs: boolean;
  /** `--data-dir DIR`: where data, secrets and logs live (default `.xai-data/`). */
  dataDir?: string;
}

/** Thrown for a command line the launcher does not understand. */
export class UsageException extends Error {
  constructor(message: string) {
    super(message);
    this.name = UsageException.name;
  }
}

export const USAGE = `Usage: npm start -- [--port N] [--logs] [--data-dir DIR]

  --port N        port of the gateway (default 8080, or XAI_GATEWAY_PORT)
  --logs          also print every service's log lines here (they are always in <data-dir>/logs/)
  --data-dir DIR  where the embedded databases, generated secrets and logs live (default .xai-data)
`;

/** Parses `start [--port N] [--logs] [--data-dir DIR]`. */
export function parseStartArgs(argv: string[]): StartArgs {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h')
    return { command: 'help', echoLogs: false };
  if (command !== 'start') throw new UsageException(`Unknown command "${command ?? ''}".`);

  const args: StartArgs = { command: 'start', echoLogs: false };
  for (let i = 0; i < rest.length; i += 1) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? rest[++i];
      if (next === undefined) throw new UsageException(`${flag} needs a value.`);

      return next;
    };
    if (flag === '--port') args.port = parsePort(value());
    else if (flag === '--data-dir') args.dataDir = value();
    else if (flag === '--logs') args.echoLogs = true;
    else if (flag === '--help' || flag === '-h') return { command: 'help', echoLogs: false };
    else throw new UsageException(`Unknown option "${rest[i]}".`);
  }

  return args;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageException(`--port wants a port number from 1 to 65535, not "${text}".`);
  }

  return port;
}
