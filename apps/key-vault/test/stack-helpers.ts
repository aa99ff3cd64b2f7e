import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { RunningStack } from '@xai/devstack';
import { GrpcClient, KeyVaultMethods, SERVICE_TOKEN_METADATA_KEY } from '@xai/contracts';
import Redis from 'ioredis';
import { Client } from 'pg';

/** One answer of the gateway, as read. */
export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** A client of one gateway that keeps every response body it read, for the canary sweep. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
    private readonly bodies: string[],
  ) {}

  /** The same recorder, another key or replica. */
  with(options: { key?: string; baseUrl?: string }): GatewayClient {
    return new GatewayClient(options.baseUrl ?? this.baseUrl, options.key ?? this.key, this.bodies);
  }

  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    this.bodies.push(text, JSON.stringify([...response.headers]));

    return {
      status: response.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  /** One chat completion through the gateway. */
  chat(model = 'gpt-4o'): Promise<Answer> {
    return this.request('POST', '/v1/chat/completions', {
      model,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  }
}

/** A request the mock provider received. */
export interface MockRequest {
  receivedAt: string;
  path: string;
  apiKey: string | null;
}

/** What the mock provider received, oldest first. */
export async function mockRequests(stack: RunningStack): Promise<MockRequest[]> {
  const response = await fetch(`${stack.mockProviderUrl}/_mock/requests`);

  return (await response.json()) as MockRequest[];
}

/** A secret the local stack generated, read from its secrets folder. */
export async function stackSecret(stack: RunningStack, name: string): Promise<string> {
  return (await readFile(join(stack.dataDir, 'secrets', name), 'utf8')).trim();
}

/** A key-vault client that presents the stack's service token, as the gateway does. */
export async function keyVaultClient(stack: RunningStack): Promise<GrpcClient<KeyVaultMethods>> {
  const token = await stackSecret(stack, 'service-token');
  const url = stack.services['key-vault'].grpcUrl ?? '';

  return new GrpcClient<KeyVaultMethods>('keyVault', url, {
    metadata: { [SERVICE_TOKEN_METADATA_KEY]: token },
    deadlineMs: 10_000,
  });
}

/** Runs `use` with a client of one service's database. */
export async function withDatabase<T>(
  stack: RunningStack,
  service: 'config' | 'key-vault' | 'audit-log',
  use: (db: Client) => Promise<T>,
): Promise<T> {
  const db = new Client({ connectionString: stack.databaseUrls[service] });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

/** The ids of the stack's bootstrapped tenant and of its owner key (`owner` holds that key). */
export async function bootstrapIds(
  stack: RunningStack,
  owner: GatewayClient,
): Promise<{ tenantId: string; ownerKeyId: string }> {
  const keys = (await owner.request('GET', '/x-virtual-keys')).json.data as Array<
    Record<string, string>
  >;
  const tenants = await withDatabase(stack, 'config', (db) =>
    db.query<{ id: string }>('SELECT id FROM config.tenants'),
  );

  return {
    tenantId: tenants.rows[0].id,
    ownerKeyId: keys.find((key) => key.Role === 'owner')?.ID ?? '',
  };
}

/** The events on the stack's audit stream, parsed. */
export async function auditEvents(stack: RunningStack): Promise<Record<string, unknown>[]> {
  const redis = new Redis(stack.redisUrl);
  try {
    const entries = await redis.xrange(`${stack.redisPrefix}audit`, '-', '+');

    return entries.map(([, fields]) => JSON.parse(fields[1]) as Record<string, unknown>);
  } finally {
    redis.disconnect();
  }
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Every way a secret could be written down: plain, hex, base64 and base64url. */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');

  return [secret, bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
}

/** Columns that hold AEAD output, the only place a secret may be (sealed). */
const SEALED_COLUMNS = new Set([
  'key_vault.provider_key_ciphertexts.ciphertext',
  'key_vault.credential_slots.sealed',
  'key_vault.kek_checks.check_value',
]);

/** Every value of every column of every table of the stack's databases, ciphertexts excepted. */
export async function databaseTexts(stack: RunningStack): Promise<string[]> {
  const texts: string[] = [];
  for (const url of new Set(Object.values(stack.databaseUrls))) {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const tables = await db.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
      );
      for (const { schema, name } of tables.rows) {
        const rows = await db.query<Record<string, unknown>>(`SELECT * FROM "${schema}"."${name}"`);
        for (const row of rows.rows) {
          for (const [column, value] of Object.entries(row)) {
            if (SEALED_COLUMNS.has(`${schema}.${name}.${column}`)) continue;
            texts.push(Buffer.isBuffer(value) ? value.toString('latin1') : JSON.stringify(value));
          }
        }
      }
    } finally {
      await db.end();
    }
  }

  return texts;
}

/** Everything under the stack's Redis prefix: streams, BullMQ hashes, lists, sets and strings. */
export async function redisTexts(stack: RunningStack): Promise<string[]> {
  const redis = new Redis(stack.redisUrl);
  const texts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.redisPrefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) texts.push(key, ...(await redisValue(redis, key)));
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  return texts;
}

async function redisValue(redis: Redis, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'stream':
      return (await redis.xrange(key, '-', '+')).map((entry) => JSON.stringify(entry));
    case 'hash':
      return [JSON.stringify(await redis.hgetall(key))];
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'string':
      return [(await redis.get(key)) ?? ''];
    default:
      return [];
  }
}

/** Every log line the router's services wrote (mock provider excluded: it is the provider). */
export async function logTexts(stack: RunningStack): Promise<string[]> {
  const folder = join(stack.dataDir, 'logs');
  const files = (await readdir(folder)).filter((file) => !file.startsWith('mock-provider'));

  return Promise.all(files.map((file) => readFile(join(folder, file), 'utf8')));
}
