import { Client } from 'pg';

import { createScratchDatabase, ScratchDatabase } from './scratch-database';

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');

    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// The run's own PostgreSQL server when DATABASE_URL names one, as in CI.
const SERVER_URL = process.env.DATABASE_URL ?? '';
const describeWithServer = SERVER_URL ? describe : describe.skip;

describe(createScratchDatabase.name, () => {
  it('refuses a label that cannot start a database name', async () => {
    const created = createScratchDatabase('Bad-Label', { serverUrl: false });

    await expect(created).rejects.toThrow(RangeError);
  });

  describe('embedded', () => {
    let database: ScratchDatabase;

    beforeAll(async () => {
      database = await createScratchDatabase('xai_scratch', { serverUrl: false });
    });

    afterAll(async () => {
      await database?.drop();
    });

    it('serves a PGlite database on a loopback port', async () => {
      expect(database.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(database.embedded).toBe(true);
      expect(database.serviceEnv).toEqual({ DATABASE_URL: database.url });
      expect(await answers(database.url)).toBe(true);
    });

    it('stops the server on drop, however often drop is called', async () => {
      await Promise.all([database.drop(), database.drop()]);

      expect(await answers(database.url)).toBe(false);
    });
  });
});

describeWithServer(`${createScratchDatabase.name} on a PostgreSQL server`, () => {
  it('creates <label>_<random> on the server and drops it', async () => {
    const database = await createScratchDatabase('xai_scratch', { serverUrl: SERVER_URL });
    const name = new URL(database.url).pathname.slice(1);
    const session = new Client({ connectionString: database.url });
    await session.connect();
    session.on('error', () => undefined);
    const current = await session.query<{ name: string }>('SELECT current_database() AS name');

    await database.drop();

    expect(name).toMatch(/^xai_scratch_[0-9a-f]{12}$/);
    expect(current.rows[0].name).toBe(name);
    expect(database.embedded).toBe(false);
    expect(database.serviceEnv).toEqual({ DATABASE_URL: database.url });
    expect(await answers(database.url)).toBe(false);
    await session.end().catch(() => undefined);
  });
});
