import { Client } from 'pg';

import { createIsolatedDatabase, withDatabase } from './isolated-database';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);

    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('withDatabase', () => {
  it('replaces only the database name of a URL', () => {
    const url = withDatabase('postgres://user:pw@db.local:5433/test?sslmode=disable', 'xai_e2e_1');

    expect(url).toBe('postgres://user:pw@db.local:5433/xai_e2e_1?sslmode=disable');
  });
});

describe('createIsolatedDatabase', () => {
  it('creates a usable database and drops it even while a session is connected', async () => {
    const database = await createIsolatedDatabase(SERVER_URL);
    const session = new Client({ connectionString: database.url });
    await session.connect();
    session.on('error', () => undefined);
    const answer = await session.query('SELECT current_database() AS name');

    await database.drop();

    expect(answer.rows[0].name).toBe(database.name);
    expect(database.name).toMatch(/^xai_e2e_[0-9a-f]{12}$/);
    expect(await databaseExists(database.name)).toBe(false);
    await session.end().catch(() => undefined);
  });
});
