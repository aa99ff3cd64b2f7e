import type { KeyUseEventRow } from '../key-use-events/key-use-event.row';
import type { ManagementEventRow } from '../management-events/management-event.row';
import type { RequestEventRow } from '../request-events/request-event.row';
import type { TrailKind, TrailRow } from './trail-entries';

type ColumnType = 'uuid' | 'text' | 'int' | 'bool' | 'jsonb' | 'numeric' | 'timestamptz';

/**
 * The type a column's value is read as from the batch's JSON. Integers are read as bigint:
 * PostgreSQL narrows them to an integer column on insert, and refuses one out of its range as
 * it would a single value.
 */
const RECORD_TYPE: Record<ColumnType, string> = {
  uuid: 'uuid',
  text: 'text',
  int: 'bigint',
  bool: 'boolean',
  jsonb: 'jsonb',
  numeric: 'numeric',
  timestamptz: 'timestamptz',
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

/** A stored column of any kind: its name, the row field it holds, and how its value travels. */
type StoredColumn = readonly [name: string, field: string, type: ColumnType];

/** The stored columns of a kind, in insert order (the chain columns follow them). */
export function columnsOf(kind: TrailKind): readonly StoredColumn[] {
  return COLUMNS[kind];
}

/** The fields of a kind's text columns (see {@link rowJson}). */
const TEXT_FIELDS: Record<TrailKind, readonly string[]> = {
  request: textFieldsOf('request'),
  key_use: textFieldsOf('key_use'),
  management_change: textFieldsOf('management_change'),
};

function textFieldsOf(kind: TrailKind): string[] {
  return columnsOf(kind)
    .filter(([, , type]) => type === 'text')
    .map(([, field]) => field);
}

/** The chain fields each record of {@link insertRecords} carries besides the row's own. */
const CHAIN_FIELDS = [
  ['chain_seq', 'chainSeq', 'bigint', 'r."chainSeq"'],
  ['prev_hash', 'prevHash', 'text', `decode(r."prevHash", 'hex')`],
  ['row_hash', 'rowHash', 'text', `decode(r."rowHash", 'hex')`],
] as const;

/**
 * The SQL that inserts entries of `kind` given as one JSON array of records (see
 * {@link insertRecords}) in parameter `param`: one statement however many entries, so a batch
 * costs PostgreSQL one parse, one plan and one round trip, and node-postgres sends one string
 * instead of encoding an array per column element by element.
 */
export function insertRecordsSql(kind: TrailKind, table: string, param: number): string {
  const columns = columnsOf(kind);
  const names = [...columns.map(([name]) => name), ...CHAIN_FIELDS.map(([name]) => name)];
  const fields = [
    ...columns.map(([, field, type]) => `"${field}" ${RECORD_TYPE[type]}`),
    ...CHAIN_FIELDS.map(([, field, type]) => `"${field}" ${type}`),
  ];
  const values = [
    ...columns.map(([, field]) => `r."${field}"`),
    ...CHAIN_FIELDS.map(([, , , value]) => value),
  ];

  return `INSERT INTO ${table} (${names.map((name) => `"${name}"`).join(', ')})
    SELECT ${values.join(', ')} FROM json_to_recordset($${param}::json) AS r(${fields.join(', ')})`;
}

/** An entry placed in its chain: its position and the hashes on either side of it. */
export interface ChainedEntry {
  entry: TrailRow;
  seq: number;
  prevHash: Buffer;
  hash: Buffer;
}

/**
 * The parameter of {@link insertRecordsSql}: the entries' rows as one JSON array, each record
 * the row's fields by name plus its chain position and hashes (hex). A field a row leaves out
 * is read as NULL, as is a JSON `null`; a JSON column's value is taken as it is.
 */
export function insertRecords(kind: TrailKind, entries: readonly ChainedEntry[]): string {
  const records = entries.map(({ entry, seq, prevHash, hash }) => {
    const row = rowJson(entry.row, TEXT_FIELDS[kind]);
    // The row's own object, opened with the chain fields (no row has fields of those names).
    const chain = `"chainSeq":${seq},"prevHash":"${prevHash.toString('hex')}","rowHash":"${hash.toString('hex')}"`;

    return `{${chain},${row.slice(1)}`;
  });

  return `[${records.join(',')}]`;
}

/** Half of a UTF-16 surrogate pair standing alone (with `u`, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * A row as JSON. PostgreSQL's JSON refuses a lone UTF-16 surrogate, which a text column sent
 * as UTF-8 stores as U+FFFD (as the chain hash encodes it): a row whose JSON has a `\u` escape
 * of one (rare) has its text columns made well-formed first. A JSON column's value keeps it
 * (the chain hash encodes it as the escape), and the database refuses it, as it refuses it in
 * JSON sent as text.
 */
function rowJson(row: object, textFields: readonly string[]): string {
  const json = JSON.stringify(row);
  if (!json.includes('\\ud')) return json;
  const wellFormed: Record<string, unknown> = { ...row };
  for (const field of textFields) {
    const value = wellFormed[field];
    if (typeof value === 'string') wellFormed[field] = value.replace(LONE_SURROGATE, '\uFFFD');
  }

  return JSON.stringify(wellFormed);
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
      // node-postgres has parsed it already: a string here is a JSON string, not JSON text.
      return value;
    case 'numeric':
    case 'uuid':
    case 'text':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'bool':
      return Boolean(value);
  }
}
