/** A CSV column: its header and how to read the value from a row. */
export type CsvColumn<R> = readonly [header: string, value: (row: R) => string | number | boolean];

/**
 * One CSV line (RFC 4180, CRLF). Fields with a comma, quote or line break are quoted. A text
 * field that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or
 * CR) is prefixed with a quote, so an exported model name cannot run as a formula; numbers are
 * written as they are.
 */
export function csvLine(fields: readonly (string | number | boolean)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The header line of `columns`. */
export function csvHeader<R>(columns: readonly CsvColumn<R>[]): string {
  return csvLine(columns.map(([header]) => header));
}

/** The line of one row. */
export function csvRow<R>(columns: readonly CsvColumn<R>[], row: R): string {
  return csvLine(columns.map(([, value]) => value(row)));
}

function csvField(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
