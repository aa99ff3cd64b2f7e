import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** One frontend protocol message waiting for the single PGlite session. */
interface PendingMessage {
  connectionId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** Frontend message types after which a connection may hand the session over. */
const QUERY = 0x51; // 'Q', a simple query: answered up to ReadyForQuery.
const SYNC = 0x53; // 'S', the end of an extended-protocol batch.
const TERMINATE = 0x58; // 'X'
/** A startup message has no type byte; its length's first byte is 0. */
const UNTYPED = 0x00;

/**
 * Lets the connections of one embedded PostgreSQL take turns on its single PGlite session,
 * a whole protocol exchange at a time. PGLiteSocketServer's own queue (0.2.x) schedules single
 * messages and keeps a connection's turn only inside a SQL transaction, so the Parse / Bind /
 * Execute / Sync of two connections interleave and clobber each other's unnamed statement
 * ("unnamed prepared statement does not exist"); and one failed message leaves its queue
 * stuck for good. See https://github.com/electric-sql/pglite/issues/1046.
 *
 * Here a connection keeps the session from its first message until a simple query or a Sync
 * leaves the session outside a transaction; a failed message fails only its sender.
 */
export class PgliteSessionQueue {
  private readonly queue: PendingMessage[] = [];
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  /** Runs one message of `connectionId` when its turn comes; resolves to the bytes answered. */
  enqueue(
    connectionId: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ connectionId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** Drops what a closed connection still had queued. */
  clearQueueForHandler(connectionId: number): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      if (this.queue[index].connectionId !== connectionId) continue;
      this.queue.splice(index, 1)[0].reject(new Error('connection closed'));
    }
  }

  /** Rolls back what a closed connection left open and gives the session to the others. */
  async clearTransactionIfNeeded(connectionId: number): Promise<void> {
    if (this.owner !== connectionId) return;

    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;

    this.running = true;
    try {
      for (let next = this.take(); next; next = this.take()) await this.run(next);
    } finally {
      this.running = false;
    }
  }

  /** The owner's next message, or when no one owns the session the oldest message. */
  private take(): PendingMessage | undefined {
    const index =
      this.owner === null
        ? 0
        : this.queue.findIndex((pending) => pending.connectionId === this.owner);

    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async run(pending: PendingMessage): Promise<void> {
    this.owner = pending.connectionId;
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(pending.message, {
          onRawData: (data) => {
            bytes += data.length;
            pending.onData(data);
          },
        }),
      );
      pending.resolve(bytes);
      if (endsExchange(pending.message) && !this.db.isInTransaction()) this.owner = null;
    } catch (error) {
      // The socket handler closes a connection whose message threw; until then it must not
      // hold the others up (a transaction it left open is rolled back when it closes).
      if (!this.db.isInTransaction()) this.owner = null;
      pending.reject(error);
    }
  }
}

function endsExchange(message: Uint8Array): boolean {
  const type = message[0];

  return type === QUERY || type === SYNC || type === TERMINATE || type === UNTYPED;
}

/**
 * Makes `server` schedule its connections with a {@link PgliteSessionQueue}. Call before
 * `start()`: each connection takes the server's queue when it is accepted.
 */
export function useSessionQueue(server: PGLiteSocketServer, db: PGlite): void {
  // The queue is private in pglite-socket's types; it is the documented-nowhere seam we need
  // until https://github.com/electric-sql/pglite/issues/1046 is fixed upstream.
  (server as unknown as { queryQueue: PgliteSessionQueue }).queryQueue = new PgliteSessionQueue(db);
}
