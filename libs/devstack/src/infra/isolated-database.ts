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

/** A fresh database name: `xai_e2e_` and 12 random hex digits. */
export function isolatedDatabaseName(): string {
  return `xai_e2e_${randomBytes(6).toString('hex')}`;
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
 */
export async function createIsolatedDatabase(serverUrl: string): Promise<IsolatedDatabase> {
  const name = isolatedDatabaseName();
  // The name is generated above from hex digits only, so quoting it is enough.
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
