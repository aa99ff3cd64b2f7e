import { PassThrough } from 'node:stream';

import { IdleTimeoutError, watchIdle } from './idle-watchdog';

async function collect(chunks: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk.toString('utf8');

  return text;
}

function later(ms: number, action: () => void): void {
  setTimeout(action, ms);
}

describe('watchIdle', () => {
  it('lets a long silence before the first chunk pass under the first-chunk limit', async () => {
    const body = new PassThrough();
    later(120, () => body.write('a'));
    later(150, () => body.end('b'));

    const text = await collect(watchIdle(body, { firstMs: 1_000, idleMs: 50 }));

    expect(text).toBe('ab');
  });

  it('cuts a body that goes silent between chunks, and destroys it', async () => {
    const body = new PassThrough();
    body.write('a');

    const result = collect(watchIdle(body, { firstMs: 1_000, idleMs: 50 }));

    await expect(result).rejects.toMatchObject({ code: 'XAI_IDLE_TIMEOUT' });
    expect(body.destroyed).toBe(true);
  });

  it('cuts a body whose first chunk never comes', async () => {
    const body = new PassThrough();

    const result = collect(watchIdle(body, { firstMs: 50, idleMs: 1_000 }));

    await expect(result).rejects.toBeInstanceOf(IdleTimeoutError);
    await expect(result).rejects.toMatchObject({ code: 'XAI_FIRST_BYTE_TIMEOUT' });
  });

  it('passes the body error on when the provider breaks the stream', async () => {
    const body = new PassThrough();
    body.write('a');
    later(20, () => body.destroy(Object.assign(new Error('reset'), { code: 'UND_ERR_SOCKET' })));

    const result = collect(watchIdle(body, { firstMs: 1_000, idleMs: 1_000 }));

    await expect(result).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });
});
