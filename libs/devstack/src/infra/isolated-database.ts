import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/** A database created for one stack on a shared server, dropped when the stack stops. */
export interface IsolatedDatabase {
  /** The URL of the new database (the server URL with its database name replaced). */
  url: string;
  name: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

/** `serverUrl` with its database name replaced by `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;

  return url.toString();
}

/**
 * Fails unless `prefix` can start a database name unquoted: a lower-case letter, then up to 40
 * lower-case letters, digits or `_`.
 */
export function assertDatabasePrefix(prefix: string): void {
  if (/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) return;

  throw new RangeError(`Invalid database name prefix "${prefix}": use [a-z][a-z0-9_]{0,40}`);
}

/** A fresh database name: `prefix`, `_` and 12 random hex digits, e.g. `xai_e2e_3f9a…`. */
export function isolatedDatabaseName(prefix = 'xai_e2e'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database on the server of `serverUrl` (connecting to the database named in
 * it), so a stack's tables never meet another stack's.
 *
 * @param prefix start of the database name; lower-case letters, digits and `_` only
 */
export async function createIsolatedDatabase(
  serverUrl: string,
  prefix = 'xai_e2e',
): Promise<IsolatedDatabase> {
  assertDatabasePrefix(prefix);
  const name = isolatedDatabaseName(prefix);
  // The prefix was checked above and the rest is hex digits, so quoting the name is enough.
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));

  return {
    url: withDatabase(serverUrl, name),
    name,
    drop: () =>
      withClient(serverUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}
