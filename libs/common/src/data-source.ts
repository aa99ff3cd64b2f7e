import { Client } from 'pg';
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';

/** Where one service keeps its tables. */
export interface ServiceDatabaseOptions {
  /** A PostgreSQL URL. */
  url: string;
  /** The service's own schema; no other service reads it. */
  schema: string;
  /** Entity classes. */
  // `Function` is TypeORM's own type for entity classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Migration classes, applied in order at boot when `runMigrations` is set. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Connection pool size; keep it at 1-2 for an embedded PGlite. */
  poolMax?: number;
  /** Apply pending migrations before serving (on by default; the Helm chart runs them as a hook). */
  runMigrations?: boolean;
}

/** The TypeORM options of a service's database: migrations only, never `synchronize`. */
export function dataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: options.poolMax ?? 10, connectionTimeoutMillis: 5_000 },
  };
}

/**
 * Creates the service's schema if needed, connects, and applies pending migrations. The schema
 * is created first because TypeORM keeps its migrations table inside it.
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  if (options.runMigrations ?? true) await dataSource.runMigrations({ transaction: 'each' });

  return dataSource;
}
