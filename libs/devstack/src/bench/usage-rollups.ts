/**
 * Benchmark: usage queries over a million raw audit events answer from the rollups.
 *
 *   XAI_FROM_SOURCE=1 node -r @swc-node/register libs/devstack/src/bench/usage-rollups.ts [events]
 *
 * Creates a scratch database (DATABASE_URL's server, else an embedded PGlite), starts the
 * audit-log service on it (migrations, BullMQ rollup job every second), seeds `events` raw
 * request events (default 1 000 000) over 30 days straight into the trail with SQL, waits for
 * the rollup job to absorb them, then times QueryUsage over gRPC for every grouping and, for
 * comparison, the same sums computed from the raw table. Prints one report; deletes
 * everything it created.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { AppLogger } from '@xai/common';
import {
  AuditLogMethods,
  GrpcClient,
  SERVICE_TOKEN_METADATA_KEY,
  UsageGroupBy,
} from '@xai/contracts';
import { Client } from 'pg';

import { loadDevstackConfig } from '../devstack.config';
import { httpOk } from '../net/probes';
import { freePorts } from '../net/ports';
import { SupervisedProcess } from '../process/supervised-process';
import { appCommand, findWorkspaceRoot } from '../stack/workspace';
import { createScratchDatabase } from '../testing/scratch-database';
import { testRedisUrl } from '../testing/test-redis-url';

const TENANT = 'bench-tenant';
const DAYS = 30;
const GROUPINGS: UsageGroupBy[] = [
  'USAGE_GROUP_BY_DAY',
  'USAGE_GROUP_BY_MODEL',
  'USAGE_GROUP_BY_PROVIDER_KEY',
  'USAGE_GROUP_BY_VIRTUAL_KEY',
];
const RUNS = 7;

/** Raw events shaped like a busy tenant's: 8 models, 6 provider keys, 25 virtual keys. */
const SEED_SQL = `
  INSERT INTO "audit_log"."request_events" (
    "event_id", "request_id", "tenant_id", "virtual_key_id", "provider_key_id", "level",
    "requested_model", "upstream_model", "endpoint", "status", "stream", "attempts",
    "latency_ms", "prompt_tokens", "cached_input_tokens", "completion_tokens",
    "reasoning_tokens", "total_tokens", "cost_usd", "price_source", "occurred_at",
    "chain_seq", "prev_hash", "row_hash")
  SELECT gen_random_uuid(), 'req_' || g, $1, 'vk-' || (g % 25), 'pk-' || (g % 6), 1,
    'model-' || (g % 8), 'model-' || (g % 8), '/v1/chat/completions',
    CASE WHEN g % 50 = 0 THEN 429 ELSE 200 END, g % 3 = 0, 1, 200 + g % 500,
    100 + g % 900, g % 100, 20 + g % 300, g % 40, 120 + g % 900 + g % 300,
    ((100 + g % 900) * 2.5 + (20 + g % 300) * 10) / 1000000, 'table:bench',
    now() - ($2 * interval '1 day') * (g::float / $3), $4 + g, '\\x00', '\\x00'
  FROM generate_series(1, $3) AS g`;

interface Timing {
  label: string;
  medianMs: number;
  rows: number;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1_000_000);
  const logger = new AppLogger('UsageRollupsBench');
  const database = await createScratchDatabase('xai_bench');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const [httpPort, grpcPort] = await freePorts(2);
  const serviceToken = randomBytes(32).toString('hex');
  const rootDir = findWorkspaceRoot(__dirname);
  const { command, args } = appCommand(rootDir, 'audit-log', loadDevstackConfig().XAI_FROM_SOURCE);
  const service = new SupervisedProcess({
    name: 'audit-log',
    command,
    args,
    cwd: rootDir,
    env: {
      ...process.env,
      ...database.serviceEnv,
      LOG_LEVEL: 'warn',
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      REDIS_URL: testRedisUrl(),
      XAI_REDIS_PREFIX: prefix,
      XAI_SERVICE_TOKEN_GATEWAY: serviceToken,
      AUDIT_ROLLUP_INTERVAL_MS: '1000',
    },
    isReady: () => httpOk(`http://127.0.0.1:${httpPort}/readyz`),
    readyTimeoutMs: 60_000,
  });
  const sql = new Client({ connectionString: database.url });
  const client = new GrpcClient<AuditLogMethods>('auditLog', `127.0.0.1:${grpcPort}`, {
    metadata: { [SERVICE_TOKEN_METADATA_KEY]: serviceToken },
  });
  try {
    await service.start();
    await sql.connect();
    const seedMs = await seed(sql, events);
    logger.info('seeded', { events, seedMs });
    const rollupMs = await waitForRollups(sql);
    const timings = [...(await timeRollupQueries(client)), ...(await timeRawQueries(sql))];
    report(events, seedMs, rollupMs, timings, await rollupRows(sql));
  } finally {
    client.close();
    await sql.end().catch(() => undefined);
    await service.stop();
    await database.drop();
  }
}

async function seed(sql: Client, events: number): Promise<number> {
  const started = performance.now();
  const batch = 250_000;
  for (let done = 0; done < events; done += batch) {
    const count = Math.min(batch, events - done);
    await sql.query('BEGIN');
    await sql.query(SEED_SQL, [TENANT, DAYS, count, done]);
    // Marked for the rollup job as the recorder does, in the same transaction.
    await sql.query(
      `INSERT INTO "audit_log"."rollup_pending" ("event_id")
       SELECT "event_id" FROM "audit_log"."request_events"
       WHERE "tenant_id" = $1 AND "chain_seq" > $2`,
      [TENANT, done],
    );
    await sql.query('COMMIT');
  }
  await sql.query('ANALYZE');

  return performance.now() - started;
}

async function waitForRollups(sql: Client): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await sql.query<{ count: string }>(
      'SELECT count(*) AS count FROM "audit_log"."rollup_pending"',
    );
    if (Number(rows[0].count) === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function timeRollupQueries(client: GrpcClient<AuditLogMethods>): Promise<Timing[]> {
  const to = new Date().toISOString();
  const from = new Date(Date.now() - DAYS * 86_400_000).toISOString();
  const timings: Timing[] = [];
  for (const groupBy of GROUPINGS) {
    let rows = 0;
    const medianMs = await median(async () => {
      const answer = await client.call('queryUsage', { tenantId: TENANT, groupBy, from, to });
      rows = answer.rows.length;
    });
    timings.push({ label: `QueryUsage ${groupBy} (rollups, via gRPC)`, medianMs, rows });
  }

  return timings;
}

async function timeRawQueries(sql: Client): Promise<Timing[]> {
  let rows = 0;
  const medianMs = await median(async () => {
    const result = await sql.query(
      `SELECT "upstream_model", count(*), sum("prompt_tokens"), sum("completion_tokens"),
         sum("cost_usd") FROM "audit_log"."request_events" WHERE "tenant_id" = $1
       GROUP BY 1`,
      [TENANT],
    );
    rows = result.rowCount ?? 0;
  }, 3);

  return [{ label: 'same sums by model from the raw table (for comparison)', medianMs, rows }];
}

async function median(run: () => Promise<void>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }

  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function rollupRows(sql: Client): Promise<{ hourly: number; daily: number }> {
  const count = async (table: string): Promise<number> =>
    Number(
      (await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "audit_log"."${table}"`)).rows[0]
        .n,
    );

  return { hourly: await count('usage_hourly'), daily: await count('usage_daily') };
}

function report(
  events: number,
  seedMs: number,
  rollupMs: number,
  timings: Timing[],
  rollups: { hourly: number; daily: number },
): void {
  const lines = [
    `usage rollups benchmark: ${events.toLocaleString('en')} raw events over ${DAYS} days`,
    `  seeding (SQL):                ${(seedMs / 1000).toFixed(1)} s`,
    `  rollup job absorbing them:    ${(rollupMs / 1000).toFixed(1)} s ` +
      `(${rollups.hourly} hourly rows, ${rollups.daily} daily rows)`,
    ...timings.map(
      (timing) =>
        `  ${timing.label.padEnd(58)} median ${timing.medianMs.toFixed(1)} ms (${timing.rows} rows)`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
