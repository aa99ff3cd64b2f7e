import { DestroyableBody } from './idle-watchdog';
import { readFirstEvent } from './first-stream-event';

const LIMITS = { firstMs: 1_000, idleMs: 1_000 };

/** A provider body yielding `frames`, that records whether it was destroyed. */
function body(...frames: string[]): DestroyableBody & { destroyed: boolean } {
  const source = {
    destroyed: false,
    async *[Symbol.asyncIterator]() {
      for (const frame of frames) yield Buffer.from(frame);
    },
    destroy() {
      source.destroyed = true;
    },
  };

  return source;
}

async function text(stream: DestroyableBody): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of stream) parts.push(String(chunk));

  return parts.join('');
}

describe(readFirstEvent.name, () => {
  it('reads up to the first whole event, and still relays every byte', async () => {
    const frames = ['data: {"choices":[', ']}\n\ndata: [DO', 'NE]\n\n'];

    const first = await readFirstEvent(body(...frames), LIMITS, 64 * 1024);

    expect(first.event).toMatchObject({ event: 'message', data: '{"choices":[]}' });
    await expect(text(first.body)).resolves.toBe(frames.join(''));
  });

  it('finds an error as the first event', async () => {
    const frame = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n';

    const first = await readFirstEvent(body(frame), LIMITS, 64 * 1024);

    expect(first.event).toMatchObject({ event: 'error' });
  });

  it('gives up looking past the byte limit, relaying what it read', async () => {
    const frames = ['data: ', 'x'.repeat(100), 'y'.repeat(100), '\n\n'];

    const first = await readFirstEvent(body(...frames), LIMITS, 150);

    expect(first.event).toBeUndefined();
    await expect(text(first.body)).resolves.toBe(frames.join(''));
  });

  it('destroys the provider body when the replay is destroyed', async () => {
    const source = body('data: {}\n\n', 'data: {}\n\n');

    const first = await readFirstEvent(source, LIMITS, 64 * 1024);
    first.body.destroy();

    expect(source.destroyed).toBe(true);
  });
});
