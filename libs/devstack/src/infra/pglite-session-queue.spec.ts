import type { PGlite } from '@electric-sql/pglite';

import { PgliteSessionQueue } from './pglite-session-queue';

/** A stand-in for PGlite that records what ran, yields to the event loop, and can fail. */
class FakeSession {
  readonly ran: string[] = [];
  inTransaction = false;
  failOn?: string;

  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async execProtocolRawStream(
    message: Uint8Array,
    options: { onRawData: (data: Uint8Array) => void },
  ): Promise<void> {
    // A real session syncs its files now and then: other connections' messages arrive meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const name = Buffer.from(message.subarray(1)).toString();
    if (name === this.failOn) throw new Error('internal failure');
    this.ran.push(name);
    if (name.endsWith('BEGIN')) this.inTransaction = true;
    if (name.endsWith('COMMIT')) this.inTransaction = false;
    options.onRawData(new Uint8Array([1]));
  }

  isInTransaction(): boolean {
    return this.inTransaction;
  }

  async exec(sql: string): Promise<void> {
    this.ran.push(sql);
    this.inTransaction = false;
  }
}

/** A frontend message: its type letter, then a label the fake records. */
const message = (type: string, label: string): Uint8Array => Buffer.from(`${type}${label}`);

/** Sends one connection's messages one after another, as a socket handler does. */
async function send(queue: PgliteSessionQueue, id: number, messages: Uint8Array[]) {
  for (const next of messages) await queue.enqueue(id, next, () => undefined);
}

const batch = (who: string): Uint8Array[] => [
  message('P', `${who} parse`),
  message('B', `${who} bind`),
  message('E', `${who} execute`),
  message('S', `${who} sync`),
];

describe(PgliteSessionQueue.name, () => {
  let session: FakeSession;
  let queue: PgliteSessionQueue;

  beforeEach(() => {
    session = new FakeSession();
    queue = new PgliteSessionQueue(session as unknown as PGlite);
  });

  it('runs an extended-protocol batch whole before another connection’s', async () => {
    await Promise.all([send(queue, 1, batch('a')), send(queue, 2, batch('b'))]);

    expect(session.ran).toEqual([
      'a parse',
      'a bind',
      'a execute',
      'a sync',
      'b parse',
      'b bind',
      'b execute',
      'b sync',
    ]);
  });

  it('keeps the session for a connection until its transaction ends', async () => {
    const inTransaction = [message('Q', 'a BEGIN'), ...batch('a'), message('Q', 'a COMMIT')];

    await Promise.all([send(queue, 1, inTransaction), send(queue, 2, [message('Q', 'b read')])]);

    expect(session.ran.at(-1)).toBe('b read');
  });

  it('fails only the message that failed, and serves on', async () => {
    session.failOn = 'a bind';

    const first = send(queue, 1, batch('a'));
    const second = send(queue, 2, batch('b'));

    await expect(first).rejects.toThrow('internal failure');
    await second;
    expect(session.ran).toEqual(expect.arrayContaining(['b parse', 'b sync']));
  });

  it('rolls back for a connection that went away inside a transaction', async () => {
    await send(queue, 1, [message('Q', 'a BEGIN')]);
    const waiting = send(queue, 2, [message('Q', 'b read')]);

    queue.clearQueueForHandler(1);
    await queue.clearTransactionIfNeeded(1);
    await waiting;

    expect(session.ran).toEqual(['a BEGIN', 'ROLLBACK', 'b read']);
  });
});
