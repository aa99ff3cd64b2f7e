import { Client } from 'pg';

/** Every way a secret could be written down: as is, hex and base64. */
export function formsOf(secret: string | Buffer): string[] {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const forms = [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];

  return typeof secret === 'string' ? [secret, ...forms] : forms;
}

/** Every row of every table in every user schema, as row text and as raw column values. */
export async function dumpDatabase(db: Client): Promise<string> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const parts: string[] = [];
  for (const { schema, name } of tables.rows) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM "${schema}"."${name}"`);
    const asText = await db.query<{ row: string }>(
      `SELECT t::text AS row FROM "${schema}"."${name}" t`,
    );
    parts.push(...asText.rows.map(({ row }) => row));
    for (const row of rows.rows) parts.push(...Object.values(row).map(valueForms));
  }

  return parts.join('\n');
}

function valueForms(value: unknown): string {
  if (Buffer.isBuffer(value)) {
    return [value.toString('utf8'), value.toString('hex'), value.toString('base64')].join('\n');
  }

  return value instanceof Date ? value.toISOString() : String(value);
}
