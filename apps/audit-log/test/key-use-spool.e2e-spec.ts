import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunningStack, startStack } from '@xai/devstack';

import { waitFor } from './audit-log.process';
import { addMockKey } from './stack-keys';

/** Bytes of spooled events in a spool folder (its segment files; not the lock). */
async function spooledBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names
      .filter((name) => name.endsWith('.log'))
      .map(async (name) => (await stat(join(dir, name))).size),
  );

  return sizes.reduce((total, size) => total + size, 0);
}

// A stack over a redis-server of its own, which the test stops; key-vault spools to a folder
// the test watches, and is killed while its events are only on disk.
describe('key-use events survive Redis being away and key-vault being killed (e2e)', () => {
  let stack: RunningStack;
  let spoolDir: string;
  let memberKey: string;

  const as = (key: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'xai-key-use-spool-'));
    stack = await startStack({
      isolate: true,
      redisUrl: false,
      withMockProvider: true,
      logLevel: 'warn',
      env: { 'key-vault': { XAI_KEY_USE_SPOOL_DIR: spoolDir } },
    });
    await addMockKey(stack, 'sk-key-use-spool-0123456789');
    const member = (await (await as(stack.ownerKey, '/x-users', { Name: 'm' })).json()) as {
      ID: string;
    };
    const issued = await as(stack.ownerKey, '/x-virtual-keys', { Name: 'k', MemberID: member.ID });
    memberKey = ((await issued.json()) as { Key: string }).Key;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(spoolDir, { recursive: true, force: true });
  }, 60_000);

  it('records the decrypt made while Redis was down, once, after a kill and a restart', async () => {
    await stack.stopInfra('redis');

    // The member's key has no warm plaintext, so this call makes key-vault decrypt.
    const chat = await as(memberKey, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'while Redis is away' }],
    });
    const requestId = chat.headers.get('x-request-id') ?? '';
    const onDisk = await waitFor(
      async () => ((await spooledBytes(spoolDir)) > 0 ? true : undefined),
      15_000,
      'the key-use event in the spool',
    );
    await stack.kill('key-vault', 'SIGKILL');
    await stack.startInfra('redis');
    const uses = await waitFor(
      async () => {
        const response = await as(stack.ownerKey, `/x-audit/key-uses?request_id=${requestId}`);
        const page = (await response.json()) as { data: { operation: string }[] };

        return page.data.length > 0 ? page.data : undefined;
      },
      90_000,
      'the replayed key use',
    );
    const drained = await waitFor(
      async () => ((await spooledBytes(spoolDir)) === 0 ? true : undefined),
      30_000,
      'the spool to drain',
    );

    expect(chat.status).toBe(200);
    expect(onDisk).toBe(true);
    expect(uses).toEqual([expect.objectContaining({ operation: 'decrypt', outcome: 'ok' })]);
    expect(drained).toBe(true);
  }, 180_000);
});
