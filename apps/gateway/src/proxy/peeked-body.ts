import { DestroyableBody, toBuffer } from './idle-watchdog';

/** The start of a provider's body, read to judge the answer, and the whole body still to relay. */
export interface PeekedBody {
  /** At most the limit's worth of the body, as text. */
  head: string;
  /** Every chunk again, the ones already read first; destroying it destroys the provider's. */
  body: DestroyableBody;
  /** Whether the body ended within the limit (nothing is left unread upstream). */
  complete: boolean;
}

/**
 * Reads up to `limit` bytes of a body without losing them: an answer judged on its error text
 * (a 400 that may be a billing refusal) can still be relayed whole when it is the caller's.
 */
export async function peekBody(source: DestroyableBody, limit: number): Promise<PeekedBody> {
  const iterator = source[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  let size = 0;
  let complete = false;
  while (size < limit) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = toBuffer(next.value);
    read.push(chunk);
    size += chunk.length;
  }

  return {
    head: Buffer.concat(read).subarray(0, limit).toString('utf8'),
    body: replay(read, complete ? null : iterator, source),
    complete,
  };
}

/**
 * A body made of chunks already read, then the rest of `rest` (null: nothing is left);
 * destroying it destroys `source`, so a read still pending on it fails at once.
 */
export function replay(
  read: Buffer[],
  rest: AsyncIterator<unknown> | null,
  source: DestroyableBody,
): DestroyableBody {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* read;
    if (rest === null) return;
    try {
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        yield toBuffer(next.value);
      }
    } finally {
      await rest.return?.();
    }
  }

  return { [Symbol.asyncIterator]: chunks, destroy: (error?: Error) => source.destroy(error) };
}
