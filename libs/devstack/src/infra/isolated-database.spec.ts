import { Client } from 'pg';

import { createIsolatedDatabase, withDatabase } from './isolated-database';

// Only a real PostgreSQL server has several databases (an embedded PGlite has one), so the
// database tests run when DATABASE_URL names one, as in CI.
const SERVER_URL = process.env.DATABASE_URL ?? '';
const describeWithServer = SERVER_URL ? describe : describe.skip;

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
  it('refuses a name prefix that is not a plain lower-case identifier, before connecting', async () => {
    const created = createIsolatedDatabase('postgres://nobody@127.0.0.1:1/none', 'x"; DROP');

    await expect(created).rejects.toThrow(RangeError);
  });
});

describeWithServer('createIsolatedDatabase on a PostgreSQL server', () => {
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

  it('names the database after the given prefix', async () => {
    const database = await createIsolatedDatabase(SERVER_URL, 'xai_scratch');

    await database.drop();

    expect(database.name).toMatch(/^xai_scratch_[0-9a-f]{12}$/);
  });
});
