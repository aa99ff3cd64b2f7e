import { openServiceDatabase } from '@xai/common';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';
import type { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../src/database/audit-log-schema';
import { AUDIT_LOG_ENTITIES, AUDIT_LOG_MIGRATIONS } from '../src/database/database.module';

/** A database of its own on the test PostgreSQL, migrated as audit-log's is at boot. */
export interface ScratchTrail {
  dataSource: DataSource;
  /** Closes the connections and drops the database. */
  close(): Promise<void>;
}

export async function openScratchTrail(poolMax = 2): Promise<ScratchTrail> {
  const database: ScratchDatabase = await createScratchDatabase('xai_audit');
  try {
    const dataSource = await openServiceDatabase({
      url: database.url,
      schema: AUDIT_LOG_SCHEMA,
      entities: AUDIT_LOG_ENTITIES,
      migrations: AUDIT_LOG_MIGRATIONS,
      poolMax,
    });

    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
