import type { Dispatcher } from 'undici';

import { BenchException } from '../bench.exception';
import type { BenchRequest } from '../targets/targets';

/** Sends one request on `dispatcher` and reads the whole answer; resolves its duration in ms. */
export async function timedRequest(dispatcher: Dispatcher, request: BenchRequest): Promise<number> {
  const startedAt = performance.now();
  const response = await dispatcher.request({
    origin: request.origin,
    path: request.path,
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  await response.body.dump();
  if (response.statusCode !== 200) {
    throw new BenchException(`${request.origin}${request.path} answered ${response.statusCode}`);
  }

  return performance.now() - startedAt;
}
