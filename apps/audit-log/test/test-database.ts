import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/** The server's maintenance database, from which test databases are created and dropped. */
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own for one test file, dropped afterwards. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates `xai_audit_<random>` so parallel runs never share tables. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `xai_audit_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
