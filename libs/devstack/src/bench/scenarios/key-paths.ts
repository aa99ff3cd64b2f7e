import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Pool } from 'undici';

import { BenchException } from '../bench.exception';
import { runClosedLoop } from '../load/closed-loop';
import { timedRequest } from '../load/timed-request';
import { median } from '../report/stats';
import { chatBody, coldModel } from '../targets/bench-models';
import type { RouterTarget } from '../targets/router';
import type { Target } from '../targets/targets';

/** Whether warm requests need config or key-vault at all. */
export interface WarmPathFigure {
  /** Warm requests served while config and key-vault were frozen (SIGSTOP). */
  servedWhileFrozen: number;
  failedWhileFrozen: number;
  /** Decrypts key-vault logged during the warm measurements (should be 0). */
  decryptsDuringWarmLoad: number;
}

/** What a first use of a provider key costs over its warm use. */
export interface ColdKeyFigure {
  keys: number;
  coldMs: number[];
  warmMs: number[];
  /** Median over the keys of (cold - median warm), in ms. */
  addedMedianMs: number;
  addedMaxMs: number;
  /** Decrypts key-vault logged for the probes: one per key means "once". */
  decrypts: number;
  /** A second cold pass over the same keys: 0 decrypts means the first one was kept. */
  decryptsOnSecondPass: number;
}

const DECRYPT_LOG = 'provider key opened';
const WARM_REPEATS = 5;
const WARM_UP_SECONDS = 3;
const SETTLE_MS = 300;
const SETTLE_ATTEMPTS = 10;

/**
 * How many decrypts key-vault has logged so far (its log file is the record), once the count
 * has stopped moving: log lines reach the file a moment after the call they describe.
 */
export async function decryptCount(router: RouterTarget): Promise<number> {
  let previous = await loggedDecrypts(router);
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
    await sleep(SETTLE_MS);
    const current = await loggedDecrypts(router);
    if (current === previous) return current;
    previous = current;
  }

  return previous;
}

async function loggedDecrypts(router: RouterTarget): Promise<number> {
  const file = join(router.stack.dataDir, 'logs', 'key-vault.log');
  const text = await readFile(file, 'utf8').catch(() => '');

  return text.split('\n').filter((line) => line.includes(DECRYPT_LOG)).length;
}

/**
 * Freezes config and key-vault (SIGSTOP) and sends warm requests: if the warm path needed
 * either, they would hang and fail. The processes are resumed whatever happens.
 */
export async function checkWarmPath(
  target: Target,
  router: RouterTarget,
  decryptsDuringWarmLoad: number,
): Promise<WarmPathFigure> {
  const pids = ['config', 'key-vault'].map((name) => router.stack.services[name]?.pid());
  if (pids.some((pid) => pid === undefined)) {
    throw new BenchException('config or key-vault is not running');
  }
  for (const pid of pids) process.kill(pid as number, 'SIGSTOP');
  try {
    const run = await runClosedLoop(target.request('fast'), {
      connections: 1,
      durationSeconds: 2,
      keepLatencies: false,
    });

    return { servedWhileFrozen: run.ok, failedWhileFrozen: run.failed, decryptsDuringWarmLoad };
  } finally {
    for (const pid of pids) process.kill(pid as number, 'SIGCONT');
  }
}

/**
 * Restarts the gateway (every cache empty), warms it up with calls on another key, then times the first call on each cold key against its next calls. The only
 * difference between them is opening the key: a decrypt over gRPC by key-vault.
 */
export async function measureColdKeys(
  target: Target,
  router: RouterTarget,
  keys: number,
): Promise<ColdKeyFigure> {
  await router.stack.restart('gateway');
  // Warm the new process's code and connections on another key, so the probes time the
  // decrypt and not the JIT compiler.
  await runClosedLoop(target.request('fast'), {
    connections: 4,
    durationSeconds: WARM_UP_SECONDS,
    keepLatencies: false,
  });
  const pool = new Pool(router.stack.gatewayUrl, { connections: 1 });
  try {
    await timedRequest(pool, target.request('fast'));
    const before = await decryptCount(router);
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    for (let index = 1; index <= keys; index++) {
      const request = { ...target.request('fast'), body: chatBody(coldModel(index)) };
      coldMs.push(await timedRequest(pool, request));
      const repeats = [];
      for (let repeat = 0; repeat < WARM_REPEATS; repeat++)
        repeats.push(await timedRequest(pool, request));
      warmMs.push(median(repeats));
    }
    const decrypts = (await decryptCount(router)) - before;
    for (let index = 1; index <= keys; index++) {
      await timedRequest(pool, { ...target.request('fast'), body: chatBody(coldModel(index)) });
    }
    const added = coldMs.map((cold, index) => cold - warmMs[index]);

    return {
      keys,
      coldMs,
      warmMs,
      addedMedianMs: median(added),
      addedMaxMs: Math.max(...added),
      decrypts,
      decryptsOnSecondPass: (await decryptCount(router)) - before - decrypts,
    };
  } finally {
    await pool.close();
  }
}
