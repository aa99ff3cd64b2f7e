import { PassThrough } from 'node:stream';

import { secretScrubber } from '@xai/providers';

import { DestroyableBody, IdleTimeoutError } from './idle-limits';
import { ProviderBody } from './provider-body';

const LIMITS = { firstMs: 1_000, idleMs: 1_000 };
const SECRET = 'sk-proj-Zq8vN3tLw5Rk2Yx7Hm4Jd9Fb6Gc1Sp0A';

/** A provider body yielding `frames`, that records whether it was destroyed. */
function frames(...parts: string[]): DestroyableBody & { destroyed: boolean } {
  const source = {
    destroyed: false,
    async *[Symbol.asyncIterator]() {
      for (const part of parts) yield Buffer.from(part);
    },
    destroy() {
      source.destroyed = true;
    },
  };

  return source;
}

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk.toString('utf8'));

  return parts.join('');
}

function later(ms: number, action: () => void): void {
  setTimeout(action, ms);
}

describe(ProviderBody.name, () => {
  describe('the first event of a stream', () => {
    it('reads up to the first whole event, and still relays every byte', async () => {
      const parts = ['data: {"choices":[', ']}\n\ndata: [DO', 'NE]\n\n'];
      const body = new ProviderBody(frames(...parts), LIMITS);

      const event = await body.firstEvent(64 * 1024);

      expect(event).toMatchObject({ event: 'message', data: '{"choices":[]}' });
      await expect(text(body)).resolves.toBe(parts.join(''));
    });

    it('finds an error as the first event', async () => {
      const frame = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n';

      const event = await new ProviderBody(frames(frame), LIMITS).firstEvent(64 * 1024);

      expect(event).toMatchObject({ event: 'error' });
    });

    it('gives up looking past the byte limit, relaying what it read', async () => {
      const parts = ['data: ', 'x'.repeat(100), 'y'.repeat(100), '\n\n'];
      const body = new ProviderBody(frames(...parts), LIMITS);

      await expect(body.firstEvent(150)).resolves.toBeUndefined();
      await expect(text(body)).resolves.toBe(parts.join(''));
    });

    it('finds no event in a stream that ends mid-event, and relays it as it came', async () => {
      const body = new ProviderBody(frames('data: {"a":1}\n'), LIMITS);

      await expect(body.firstEvent(64 * 1024)).resolves.toBeUndefined();
      await expect(text(body)).resolves.toBe('data: {"a":1}\n');
    });

    it('destroys the provider body when it is destroyed', async () => {
      const source = frames('data: {}\n\n', 'data: {}\n\n');
      const body = new ProviderBody(source, LIMITS);

      await body.firstEvent(64 * 1024);
      body.destroy();

      expect(source.destroyed).toBe(true);
    });
  });

  describe('the head of an error body', () => {
    it('reads up to the limit and relays the whole body after it', async () => {
      const parts = ['{"error":', '{"message":"', 'z'.repeat(50), '"}}'];
      const body = new ProviderBody(frames(...parts), LIMITS);

      const head = await body.head(20);

      expect(head.text).toBe(parts.join('').slice(0, 20));
      expect(head.complete).toBe(false);
      await expect(text(body)).resolves.toBe(parts.join(''));
    });

    it('says when the body ended within the limit', async () => {
      const body = new ProviderBody(frames('{"error":{}}'), LIMITS);

      await expect(body.head(1024)).resolves.toEqual({ text: '{"error":{}}', complete: true });
      await expect(text(body)).resolves.toBe('{"error":{}}');
    });
  });

  describe('silence', () => {
    it('lets a long silence before the first chunk pass under the first-chunk limit', async () => {
      const source = new PassThrough();
      later(120, () => source.write('a'));
      later(150, () => source.end('b'));

      const body = new ProviderBody(source, { firstMs: 1_000, idleMs: 50 });

      await expect(text(body)).resolves.toBe('ab');
    });

    it('cuts a body that goes silent between chunks, and destroys it', async () => {
      const source = new PassThrough();
      source.write('a');

      const result = text(new ProviderBody(source, { firstMs: 1_000, idleMs: 50 }));

      await expect(result).rejects.toMatchObject({ code: 'XAI_IDLE_TIMEOUT' });
      expect(source.destroyed).toBe(true);
    });

    it('cuts a body whose first chunk never comes, while its first event is awaited', async () => {
      const body = new ProviderBody(new PassThrough(), { firstMs: 50, idleMs: 1_000 });

      const result = body.firstEvent(64 * 1024);

      await expect(result).rejects.toBeInstanceOf(IdleTimeoutError);
      await expect(result).rejects.toMatchObject({ code: 'XAI_FIRST_BYTE_TIMEOUT' });
    });

    it('does not count the time the relay spends between reads (a slow client)', async () => {
      const source = new PassThrough();
      const body = new ProviderBody(source, { firstMs: 60, idleMs: 60 });
      source.write('a');
      const iterator = body[Symbol.asyncIterator]();

      await expect(iterator.next()).resolves.toMatchObject({ value: Buffer.from('a') });
      await new Promise((resolve) => setTimeout(resolve, 150));
      source.end('b');

      await expect(iterator.next()).resolves.toMatchObject({ value: Buffer.from('b') });
      await expect(iterator.next()).resolves.toMatchObject({ done: true });
      expect(source.destroyed).toBe(true);
    });

    it('keeps one timer for a long stream, cut only by a real silence', async () => {
      const source = new PassThrough();
      const body = new ProviderBody(source, { firstMs: 1_000, idleMs: 80 });
      const chunks = Array.from({ length: 12 }, (_, index) => `${index},`);
      chunks.forEach((chunk, index) => later(20 * (index + 1), () => source.write(chunk)));

      const received: string[] = [];
      const result = (async () => {
        for await (const chunk of body) received.push(chunk.toString());
      })();

      await expect(result).rejects.toMatchObject({ code: 'XAI_IDLE_TIMEOUT' });
      // Twelve chunks over 240 ms, each within 80 ms of the last: only the silence after cuts.
      expect(received.join('')).toBe(chunks.join(''));
      expect(source.destroyed).toBe(true);
    });

    it('passes the body error on when the provider breaks the stream', async () => {
      const source = new PassThrough();
      source.write('a');
      later(20, () =>
        source.destroy(Object.assign(new Error('reset'), { code: 'UND_ERR_SOCKET' })),
      );

      const result = text(new ProviderBody(source, LIMITS));

      await expect(result).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    });
  });

  describe('the secret the attempt sent', () => {
    it('is removed from what is relayed, also when split across chunks and peeked at', async () => {
      const cut = 17;
      const parts = [
        `data: {"echo":"${SECRET.slice(0, cut)}`,
        `${SECRET.slice(cut)}"}\n\n`,
        `data: {"hex":"${Buffer.from(SECRET).toString('hex')}"}\n\n`,
      ];
      const body = new ProviderBody(frames(...parts), LIMITS, secretScrubber([SECRET]));

      const event = await body.firstEvent(64 * 1024);
      const relayed = await text(body);

      expect(event?.data).toContain(SECRET);
      expect(relayed).not.toContain(SECRET);
      expect(relayed).not.toContain(Buffer.from(SECRET).toString('hex'));
      expect(relayed).toBe('data: {"echo":"[redacted]"}\n\ndata: {"hex":"[redacted]"}\n\n');
    });

    it('holds back no more than a possible start of a form, flushed at the end', async () => {
      const body = new ProviderBody(
        frames('data: x\n\n', `data: ${SECRET.slice(0, 5)}`),
        LIMITS,
        secretScrubber([SECRET]),
      );
      const iterator = body[Symbol.asyncIterator]();

      await expect(iterator.next()).resolves.toMatchObject({ value: Buffer.from('data: x\n\n') });
      const second = await iterator.next();
      const third = await iterator.next();

      expect(Buffer.concat([second.value as Buffer, third.value as Buffer]).toString()).toBe(
        `data: ${SECRET.slice(0, 5)}`,
      );
      await expect(iterator.next()).resolves.toMatchObject({ done: true });
    });
  });

  it('lets the provider body go when the relay stops reading', async () => {
    const source = new PassThrough();
    source.write('a');
    const body = new ProviderBody(source, LIMITS);

    for await (const chunk of body) {
      expect(chunk.toString()).toBe('a');
      break;
    }

    expect(source.destroyed).toBe(true);
  });
});
