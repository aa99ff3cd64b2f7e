import { once } from 'node:events';

import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { ChainedEntry, copyRows, copySql } from './trail-columns';
import { TRAIL_TABLE, TrailKind } from './trail-entries';
import { insertRecords, insertRecordsSql } from './trail-json';

/**
 * How a batch's entries are loaded: `COPY … FROM STDIN` into PostgreSQL, or one JSON parameter
 * per kind into a database that cannot take COPY over the wire (the embedded PGlite).
 */
export type BulkLoad = 'copy' | 'json';

/** Injection token of a {@link BulkLoad} that overrides the one read from the server. */
export const BULK_LOAD = Symbol('BulkLoad');

/** The load a server takes, from its version text (PGlite names itself there). */
export function bulkLoadOf(version: string): BulkLoad {
  return /\bPGlite\b/.test(version) ? 'json' : 'copy';
}

/** The load the server of `runner` takes, read on that connection. */
export async function readBulkLoad(runner: QueryRunner): Promise<BulkLoad> {
  const [row] = (await runner.query('SELECT version() AS "version"')) as { version: string }[];

  return bulkLoadOf(row.version);
}

const tableOf = (kind: TrailKind): string => `"${AUDIT_LOG_SCHEMA}"."${TRAIL_TABLE[kind]}"`;

const KINDS = Object.keys(TRAIL_TABLE) as TrailKind[];

const COPY_SQL = Object.fromEntries(
  KINDS.map((kind) => [kind, copySql(kind, tableOf(kind))]),
) as Record<TrailKind, string>;

const INSERT_JSON_SQL = Object.fromEntries(
  KINDS.map((kind) => [kind, insertRecordsSql(kind, tableOf(kind))]),
) as Record<TrailKind, string>;

/** Loads chained entries of one kind into their table, in the transaction of `runner`. */
export async function loadEntries(
  runner: QueryRunner,
  load: BulkLoad,
  kind: TrailKind,
  entries: readonly ChainedEntry[],
): Promise<void> {
  if (load === 'json') {
    await runner.query(INSERT_JSON_SQL[kind], [insertRecords(kind, entries)]);

    return;
  }
  await copyIn((await runner.connect()) as PoolClient, COPY_SQL[kind], copyRows(kind, entries));
}

/**
 * Runs one `COPY … FROM STDIN` on the transaction's connection, writing `pieces` as the stream
 * takes them; resolves once the server has taken every row.
 */
async function copyIn(client: PoolClient, sql: string, pieces: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
  });
  // Seen by `done` (and by the caller through it), not thrown at the first write's await.
  done.catch(() => undefined);
  for (const piece of pieces) {
    if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), done]);
  }
  stream.end();

  return done;
}
