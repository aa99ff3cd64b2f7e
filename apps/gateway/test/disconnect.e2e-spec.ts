import { RunningStack, startStack } from '@xai/devstack';

import { AdminClient, eventually } from './admin-client';
import { addMockKeys } from './mock-keys';

interface MockRecord {
  path: string;
  aborted?: boolean;
  abortedAt?: string;
}

const SECRETS = { openai: 'sk-disconnect-openai-0001', anthropic: 'sk-ant-disconnect-0002' };

/** How each public API is called: its path, key and body. */
const APIS = [
  {
    name: '/v1/chat/completions',
    secret: SECRETS.openai,
    path: '/v1/chat/completions',
    body: (stream: boolean) => ({
      model: 'gpt-x',
      stream,
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  },
  {
    name: '/v1/messages',
    secret: SECRETS.anthropic,
    path: '/v1/messages',
    body: (stream: boolean) => ({
      model: 'claude-x',
      max_tokens: 50,
      stream,
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  },
];

/** When the client leaves: before the answer starts (stream or not), or after its first event. */
const MOMENTS = [
  { moment: 'waiting for the first token', stream: true, behaviour: { delayMs: 10_000 } },
  { moment: 'mid-stream', stream: true, behaviour: { chunkDelayMs: 3_000 } },
  { moment: 'on a non-streaming call', stream: false, behaviour: { delayMs: 10_000 } },
];

describe('a client disconnect aborts the upstream request', () => {
  let stack: RunningStack;
  let admin: AdminClient;

  const records = async (secret: string): Promise<MockRecord[]> => {
    const response = await fetch(
      `${stack.mockProviderUrl}/_mock/requests?apiKey=${encodeURIComponent(secret)}`,
    );

    return (await response.json()) as MockRecord[];
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    await addMockKeys(admin, stack.mockProviderUrl, SECRETS, { LevelMapper: 'gpt*=1, claude*=2' });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  describe.each(APIS)('$name', (api) => {
    it.each(MOMENTS)(
      'within a second, $moment, and the audit event says the client left',
      async ({ stream, behaviour }) => {
        await fetch(`${stack.mockProviderUrl}/_mock/behaviours`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey: api.secret, path: api.path, times: 1, ...behaviour }),
        });
        const before = (await records(api.secret)).length;
        const controller = new AbortController();
        const response = fetch(`${stack.gatewayUrl}${api.path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${stack.ownerKey}`,
            'content-type': 'application/json',
            'anthropic-version': '2023-06-01',
          },
          body: JSON.stringify(api.body(stream)),
          signal: controller.signal,
        });
        response.catch(() => undefined);

        // Leave once the provider has the request (and, mid-stream, once an event arrived).
        await eventually(async () =>
          (await records(api.secret)).length > before ? true : undefined,
        );
        if ('chunkDelayMs' in behaviour) {
          const reader = (await response).body!.getReader();
          const first = await reader.read();
          expect(first.done).toBe(false);
        }
        const leftAt = Date.now();
        controller.abort();

        const record = await eventually(async () => {
          const received = (await records(api.secret)).at(-1);

          return received?.aborted ? received : undefined;
        }, 5_000);
        expect(Date.parse(record.abortedAt ?? '') - leftAt).toBeLessThan(1_000);
        const audit = await eventually(async () => {
          const { json } = await admin.request('GET', '/x-audit?limit=1');
          const [latest] = json.data as Array<Record<string, unknown>>;

          return latest?.endpoint === api.path && latest.status === 499 ? latest : undefined;
        });
        expect(audit).toMatchObject({
          errorCode: 'client_closed',
          errorClass: 'client_closed',
          status: 499,
        });
      },
      30_000,
    );
  });
});
