import type { KeyUseEventRow } from '../key-use-events/key-use-event.row';
import type { ManagementEventRow } from '../management-events/management-event.row';
import type { RequestEventRow } from '../request-events/request-event.row';
import type { TrailKind, TrailRow } from './trail-entries';

type ColumnType = 'uuid' | 'text' | 'int' | 'bool' | 'jsonb' | 'numeric' | 'timestamptz';

/**
 * The array type a column's values travel in. Integers go as bigint: PostgreSQL narrows them to
 * an integer column on insert, and refuses one out of its range as it would a single value.
 */
const ARRAY_TYPE: Record<ColumnType, string> = {
  uuid: 'uuid[]',
  text: 'text[]',
  int: 'bigint[]',
  bool: 'boolean[]',
  jsonb: 'jsonb[]',
  numeric: 'numeric[]',
  timestamptz: 'timestamptz[]',
};

/** A stored column: its name, the row field it holds, and how its value travels. */
type Column<R> = readonly [name: string, field: keyof R & string, type: ColumnType];

const REQUEST_COLUMNS: readonly Column<RequestEventRow>[] = [
  ['event_id', 'eventId', 'uuid'],
  ['request_id', 'requestId', 'text'],
  ['tenant_id', 'tenantId', 'text'],
  ['virtual_key_id', 'virtualKeyId', 'text'],
  ['member_id', 'memberId', 'text'],
  ['provider_key_id', 'providerKeyId', 'text'],
  ['provider_type', 'providerType', 'text'],
  ['level', 'level', 'int'],
  ['requested_model', 'requestedModel', 'text'],
  ['upstream_model', 'upstreamModel', 'text'],
  ['endpoint', 'endpoint', 'text'],
  ['status', 'status', 'int'],
  ['error_code', 'errorCode', 'text'],
  ['error_class', 'errorClass', 'text'],
  ['stream', 'stream', 'bool'],
  ['attempts', 'attempts', 'int'],
  ['attempts_detail', 'attemptsDetail', 'jsonb'],
  ['latency_ms', 'latencyMs', 'int'],
  ['ttft_ms', 'ttftMs', 'int'],
  ['prompt_tokens', 'promptTokens', 'int'],
  ['cached_input_tokens', 'cachedInputTokens', 'int'],
  ['completion_tokens', 'completionTokens', 'int'],
  ['reasoning_tokens', 'reasoningTokens', 'int'],
  ['total_tokens', 'totalTokens', 'int'],
  ['cost_usd', 'costUsd', 'numeric'],
  ['price_source', 'priceSource', 'text'],
  ['occurred_at', 'occurredAt', 'timestamptz'],
  ['ingest_flags', 'ingestFlags', 'text'],
];

const KEY_USE_COLUMNS: readonly Column<KeyUseEventRow>[] = [
  ['event_id', 'eventId', 'uuid'],
  ['tenant_id', 'tenantId', 'text'],
  ['provider_key_id', 'providerKeyId', 'text'],
  ['operation', 'operation', 'text'],
  ['request_id', 'requestId', 'text'],
  ['slot_id', 'slotId', 'text'],
  ['outcome', 'outcome', 'text'],
  ['occurred_at', 'occurredAt', 'timestamptz'],
];

const MANAGEMENT_COLUMNS: readonly Column<ManagementEventRow>[] = [
  ['event_id', 'eventId', 'uuid'],
  ['tenant_id', 'tenantId', 'text'],
  ['request_id', 'requestId', 'text'],
  ['actor_virtual_key_id', 'actorVirtualKeyId', 'text'],
  ['actor_member_id', 'actorMemberId', 'text'],
  ['resource', 'resource', 'text'],
  ['resource_id', 'resourceId', 'text'],
  ['action', 'action', 'text'],
  ['before', 'before', 'jsonb'],
  ['after', 'after', 'jsonb'],
  ['occurred_at', 'occurredAt', 'timestamptz'],
];

const COLUMNS = {
  request: REQUEST_COLUMNS,
  key_use: KEY_USE_COLUMNS,
  management_change: MANAGEMENT_COLUMNS,
} as const;

/** The stored columns of a kind, in insert order (the chain columns follow them). */
export function columnsOf(kind: TrailKind): readonly Column<object>[] {
  return COLUMNS[kind] as readonly Column<object>[];
}

/**
 * The SQL that inserts entries of `kind` given as one array per column (in {@link columnsOf}
 * order, then `chain_seq`, `prev_hash`, `row_hash`): one statement however many entries, so a
 * batch costs PostgreSQL one parse, one plan and one round trip.
 */
export function insertArraysSql(kind: TrailKind, table: string, firstParam = 1): string {
  const columns = columnsOf(kind);
  const names = [...columns.map(([name]) => name), 'chain_seq', 'prev_hash', 'row_hash'];
  const types = [
    ...columns.map(([, , type]) => ARRAY_TYPE[type]),
    'bigint[]',
    'bytea[]',
    'bytea[]',
  ];
  const arrays = types.map((type, index) => `$${firstParam + index}::${type}`);

  return `INSERT INTO ${table} (${names.map((name) => `"${name}"`).join(', ')})
    SELECT * FROM unnest(${arrays.join(', ')})`;
}

/** How many parameters {@link insertArraysSql} takes for `kind`. */
export function insertArrayCount(kind: TrailKind): number {
  return columnsOf(kind).length + 3;
}

/** An entry placed in its chain: its position and the hashes on either side of it. */
export interface ChainedEntry {
  entry: TrailRow;
  seq: number;
  prevHash: Buffer;
  hash: Buffer;
}

/** The parameters of {@link insertArraysSql}: one array per column, entries in order. */
export function insertArrays(kind: TrailKind, entries: readonly ChainedEntry[]): unknown[][] {
  const columns = columnsOf(kind);
  const arrays: unknown[][] = Array.from({ length: columns.length + 3 }, () => []);
  for (const { entry, seq, prevHash, hash } of entries) {
    const row = entry.row as unknown as Record<string, unknown>;
    columns.forEach(([, field, type], index) => {
      const value = row[field] ?? null;
      // node-postgres would send a JS array as a PostgreSQL array, so JSON goes as text.
      arrays[index].push(type === 'jsonb' && value !== null ? JSON.stringify(value) : value);
    });
    arrays[columns.length].push(seq);
    arrays[columns.length + 1].push(prevHash);
    arrays[columns.length + 2].push(hash);
  }

  return arrays;
}

/** A row of `kind` as read from the database (snake_case, int8 as text) in the row shape. */
export function fromDatabase(kind: TrailKind, raw: Record<string, unknown>): TrailRow {
  const row: Record<string, unknown> = {};
  for (const [name, field, type] of columnsOf(kind)) row[field] = readValue(type, raw[name]);

  return { kind, row } as unknown as TrailRow;
}

function readValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'int':
      return Number(value);
    case 'timestamptz':
      return value instanceof Date ? value : new Date(value as string);
    case 'jsonb':
      return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    case 'numeric':
    case 'uuid':
    case 'text':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'bool':
      return Boolean(value);
  }
}
