import { ChainedEntry, ColumnType, columnsOf } from './trail-columns';
import type { TrailKind } from './trail-entries';

/*
 * A batch of trail entries as one JSON parameter, read with `json_to_recordset`: the load for a
 * database that cannot take `COPY … FROM STDIN` over the wire (the embedded PGlite of `npm
 * start` and the tests). PostgreSQL itself takes {@link copyRows}, at about half the CPU.
 */

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
 * {@link insertRecords}) in parameter $1: one statement however many entries, so a batch
 * costs PostgreSQL one parse, one plan and one round trip, and node-postgres sends one string
 * instead of encoding an array per column element by element.
 */
export function insertRecordsSql(kind: TrailKind, table: string): string {
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
    SELECT ${values.join(', ')} FROM json_to_recordset($1::json) AS r(${fields.join(', ')})`;
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
