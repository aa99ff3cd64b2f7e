import { PassThrough } from 'node:stream';

import { secretScrubber } from '@xai/providers';
import { Dispatcher } from 'undici';

import { judgeAnswer } from './answer-judge';

const LIMITS = { firstMs: 1_000, idleMs: 60 };
const scrub = secretScrubber(['sk-judge-0123456789abcdefghij']);

/** A provider's answer whose body the test writes to. */
function answer(
  status: number,
  contentType: string,
): {
  response: Dispatcher.ResponseData;
  body: PassThrough;
} {
  const body = new PassThrough();
  const response = {
    statusCode: status,
    headers: { 'content-type': contentType },
    body: Object.assign(body, { dump: async () => undefined }),
  } as unknown as Dispatcher.ResponseData;

  return { response, body };
}

async function text(chunks: AsyncIterable<Buffer> | undefined): Promise<string> {
  let all = '';
  for await (const chunk of chunks ?? []) all += chunk.toString('utf8');

  return all;
}

describe(judgeAnswer.name, () => {
  it('reads a whole JSON answer before it is relayed, so a stall is the key failing', async () => {
    const { response, body } = answer(200, 'application/json');
    body.write('{"choices":[');

    const judged = judgeAnswer(response, scrub, LIMITS);

    // Nothing has gone to the caller: the attempt loop takes this as the key's failure.
    await expect(judged).rejects.toMatchObject({ code: 'XAI_IDLE_TIMEOUT' });
    expect(body.destroyed).toBe(true);
  });

  it('relays a JSON answer read whole, every byte of it', async () => {
    const { response, body } = answer(200, 'application/json; charset=utf-8');
    body.write('{"choices":');
    setTimeout(() => body.end('[]}'), 20);

    const judged = await judgeAnswer(response, scrub, LIMITS);

    expect(judged.verdict).toMatchObject({ kind: 'success' });
    await expect(text(judged.body)).resolves.toBe('{"choices":[]}');
  });

  it('relays other bodies as they come (audio), without reading them first', async () => {
    const { response, body } = answer(200, 'audio/mpeg');
    body.write(Buffer.from([1, 2, 3]));

    const judged = await judgeAnswer(response, scrub, LIMITS);
    body.end(Buffer.from([4]));

    expect(judged.verdict).toMatchObject({ kind: 'success' });
    await expect(text(judged.body)).resolves.toBe('\u0001\u0002\u0003\u0004');
  });
});
