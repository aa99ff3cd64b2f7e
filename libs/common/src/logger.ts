import { LoggerService } from '@nestjs/common';
import pino from 'pino';

import { currentRequestId } from './request-context';

/**
 * Field names whose values are never written to a log, wherever they appear in a logged object
 * up to two levels deep. Tests assert that a secret passed in any of them is censored.
 */
export const REDACTED_FIELDS = [
  'secretKey',
  'SecretKey',
  'secret_key',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'x-api-key',
  'password',
  'kek',
  'pepper',
  'wrappingSecret',
  'virtualKey',
  'token',
];

const redactPaths = REDACTED_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const access = key.startsWith('[') ? key : `.${key}`;

  return [key, `*${access}`, `*.*${access}`];
});

let root: pino.Logger = pino({ level: 'silent' });
let destination: pino.DestinationStream | undefined;

/**
 * Creates the process's one pino logger: JSON lines on stdout, the service name on every line,
 * the current request id mixed in, secrets redacted.
 */
export function initLogging(
  service: string,
  level: string,
  output?: pino.DestinationStream,
): pino.Logger {
  root = pino(
    {
      level,
      base: { service },
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();

        return requestId ? { requestId } : {};
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (destination = output ?? pino.destination({ sync: false })),
  );

  return root;
}

/** How long {@link exitAfterLogs} waits for the last lines to be written. */
const LAST_WRITE_MS = 2_000;

/**
 * Exits once every log line is written out. Lines are written asynchronously, and pino's
 * `flush(cb)` calls back before a write under way has finished: a process exiting from there
 * lost its last lines, such as why a service could not start.
 */
export function exitAfterLogs(code: number): void {
  const exit = (): void => process.exit(code);
  const stream = destination as Partial<Pick<NodeJS.WritableStream, 'end' | 'once'>> | undefined;
  if (typeof stream?.end !== 'function' || typeof stream.once !== 'function') {
    root.flush(exit);

    return;
  }
  // Never waits for ever: a stuck write still lets the process go.
  setTimeout(exit, LAST_WRITE_MS);
  stream.once('close', exit);
  try {
    stream.end();
  } catch {
    exit();
  }
}

/** The process's root logger. */
export function rootLogger(): pino.Logger {
  return root;
}

/** A class's logger: `new AppLogger(MyService.name)`. Fields go in an object, never in text. */
export class AppLogger {
  private readonly logger: pino.Logger;

  constructor(context: string) {
    this.logger = root.child({ context });
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.logger.info(fields, message);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.logger.warn(fields, message);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.logger.error(fields, message);
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.logger.debug(fields, message);
  }
}

/** Routes NestJS's own log calls into the pino logger. */
export class NestPinoLogger implements LoggerService {
  log(message: unknown, context?: string): void {
    root.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    root.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    root.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    root.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    root.trace({ context }, String(message));
  }
}
