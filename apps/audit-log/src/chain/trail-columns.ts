import type { KeyUseEventRow } from '../key-use-events/key-use-event.row';
import type { ManagementEventRow } from '../management-events/management-event.row';
import type { RequestEventRow } from '../request-events/request-event.row';
import type { TrailKind, TrailRow } from './trail-entries';

export type ColumnType = 'uuid' | 'text' | 'int' | 'bool' | 'jsonb' | 'numeric' | 'timestamptz';

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

/** The columns {@link copyRows} writes after a row's own: its place in the chain. */
const CHAIN_COLUMNS = ['chain_seq', 'prev_hash', 'row_hash'] as const;

/**
 * The `COPY … FROM STDIN` statement that loads entries of `kind` into `table`, given as
 * {@link copyRows}: PostgreSQL's bulk load, which reads each value with its column's own input
 * function (a batch as JSON cost it twice the CPU per row, most of it building a record per
 * object). One statement however many entries.
 */
export function copySql(kind: TrailKind, table: string): string {
  const names = [...columnsOf(kind).map(([name]) => name), ...CHAIN_COLUMNS];

  return `COPY ${table} (${names.map((name) => `"${name}"`).join(', ')}) FROM STDIN`;
}

/** An entry placed in its chain: its position and the hashes on either side of it. */
export interface ChainedEntry {
  entry: TrailRow;
  seq: number;
  prevHash: Buffer;
  hash: Buffer;
}

/** About how many characters each piece of {@link copyRows} holds. */
const COPY_PIECE_CHARS = 1 << 20;

/**
 * The data of {@link copySql}, in pieces of about a MiB: one line per entry in COPY's text
 * format, the row's fields in column order, then its chain position and hashes. A field the row
 * leaves out, or null, is NULL; a JSON column's value is written as JSON text. Sent as UTF-8, so
 * a lone UTF-16 surrogate in a text column is stored as U+FFFD (as the chain hash encodes it);
 * in a JSON column it stays an escape, which the database refuses, as it refuses it in JSON
 * text. In pieces, a batch of large entries never needs one string of its whole size.
 */
export function* copyRows(kind: TrailKind, entries: readonly ChainedEntry[]): Generator<string> {
  const columns = columnsOf(kind);
  let data = '';
  for (const { entry, seq, prevHash, hash } of entries) {
    const row = entry.row as unknown as Record<string, unknown>;
    for (const [, field, type] of columns) data += `${copyValue(type, row[field])}\t`;
    data += `${seq}\t\\\\x${prevHash.toString('hex')}\t\\\\x${hash.toString('hex')}\n`;
    if (data.length >= COPY_PIECE_CHARS) {
      yield data;
      data = '';
    }
  }
  if (data.length > 0) yield data;
}

/** What COPY's text format must escape in a value: the backslash and the line and field ends. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function copyValue(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = type === 'jsonb' ? JSON.stringify(value) : scalarText(value);

  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (char) => COPY_ESCAPES[char]) : text;
}

/** A column value as PostgreSQL reads it; one it cannot read is refused with the batch. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();

  return JSON.stringify(value) ?? '';
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
