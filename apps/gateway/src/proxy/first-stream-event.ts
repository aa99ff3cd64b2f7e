import { SseEvent, SseParser } from '@xai/providers';

import { DestroyableBody, IdleLimits, watchIdle } from './idle-watchdog';
import { replay } from './peeked-body';

/** The first event of a provider's event stream, and the stream whole, to relay. */
export interface FirstStreamEvent {
  /** Undefined when the stream ended, or ran past the byte limit, before a whole event. */
  event: SseEvent | undefined;
  body: DestroyableBody;
}

/**
 * Reads a provider's event stream up to its first whole event, within the wait allowed for a
 * first chunk (a silent reasoning phase included) and `maxBytes`. The relay then decides with
 * the event in hand: a stream that opens with an error has sent the caller nothing, so another
 * key may still serve the call. A stream that fails or stays silent meanwhile throws, as a
 * call that got no answer does.
 */
export async function readFirstEvent(
  source: DestroyableBody,
  limits: IdleLimits,
  maxBytes: number,
): Promise<FirstStreamEvent> {
  const iterator = watchIdle(source, limits)[Symbol.asyncIterator]();
  const parser = new SseParser();
  const read: Buffer[] = [];
  let size = 0;
  while (size < maxBytes) {
    const next = await iterator.next();
    if (next.done) {
      return { event: firstOf(() => parser.end()) ?? undefined, body: replay(read, null, source) };
    }
    read.push(next.value);
    size += next.value.length;
    const event = firstOf(() => parser.push(next.value));
    if (event !== null) return { event, body: replay(read, iterator, source) };
  }

  return { event: undefined, body: replay(read, iterator, source) };
}

/**
 * The first event parsed, null when none is complete yet, undefined when the bytes are not
 * an event stream the parser can read (the relay reports that, not this peek).
 */
function firstOf(parse: () => SseEvent[]): SseEvent | null | undefined {
  try {
    return parse()[0] ?? null;
  } catch {
    return undefined;
  }
}
