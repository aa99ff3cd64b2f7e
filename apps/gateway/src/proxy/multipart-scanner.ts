/** Where a form field's value sits in the whole body: bytes `[start, end)`. */
export interface FieldSpan {
  start: number;
  end: number;
  /** The value's bytes (text fields only, capped at {@link MAX_FIELD_BYTES}). */
  value: Buffer;
}

/** Longest header block of one part, and longest text field value read. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 1024;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-delimiter' | 'headers' | 'field' | 'skip' | 'done';

/**
 * Finds the text fields named `fieldName` in a `multipart/form-data` body as its bytes go by,
 * chunk after chunk, without holding the body: only the part headers and the field's own value
 * are kept. Records where each value sits, so the value can be replaced in the bytes later
 * while every other byte stays as sent. Parts follow RFC 7578; a file part of the same name
 * (with a `filename`) is not a field.
 */
export class MultipartFieldScanner {
  readonly fields: FieldSpan[] = [];
  private readonly delimiter: Buffer;
  private state: State = 'preamble';
  /** Bytes not yet decided on, kept across chunks (a delimiter may be split between reads). */
  private pending: Buffer = Buffer.alloc(0);
  /** Offset in the whole body of `pending[0]`. */
  private offset = 0;
  private fieldStart = 0;
  private fieldBytes: Buffer[] = [];
  private fieldLength = 0;
  private malformedReason?: string;

  constructor(
    boundary: string,
    private readonly fieldName: string,
  ) {
    // The first delimiter may open the body without a preceding CRLF: see push().
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    this.pending = Buffer.from(CRLF);
    this.offset = -CRLF.length;
  }

  /** Whether the closing delimiter was seen. */
  get complete(): boolean {
    return this.state === 'done';
  }

  /** Why the body is not a well-formed form, if it is not. */
  get malformed(): string | undefined {
    return this.malformedReason ?? (this.complete ? undefined : 'the closing boundary is missing');
  }

  /** Scans the next chunk of the body. */
  push(chunk: Buffer): void {
    if (this.state === 'done' || this.malformedReason) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.step()) {
      // Each step consumes what it can decide on; it returns false when it needs more bytes.
    }
  }

  private step(): boolean {
    switch (this.state) {
      case 'preamble':
      case 'skip':
      case 'field':
        return this.untilDelimiter();
      case 'after-delimiter':
        return this.afterDelimiter();
      case 'headers':
        return this.headers();
      case 'done':
        return false;
    }
  }

  /** Consumes bytes up to the next delimiter, keeping a field's value on the way. */
  private untilDelimiter(): boolean {
    const at = this.pending.indexOf(this.delimiter);
    const safe = at === -1 ? Math.max(0, this.pending.length - this.delimiter.length + 1) : at;
    if (this.state === 'field') this.keepFieldBytes(this.pending.subarray(0, safe));
    if (at === -1) {
      this.consume(safe);

      return false;
    }
    if (this.state === 'field') this.endField(this.offset + at);
    this.consume(at + this.delimiter.length);
    this.state = 'after-delimiter';

    return true;
  }

  /** After a delimiter: `--` closes the body; otherwise optional padding and a CRLF. */
  private afterDelimiter(): boolean {
    const lineEnd = this.pending.indexOf(CRLF);
    if (this.pending.length >= 2 && this.pending.subarray(0, 2).toString() === '--') {
      this.state = 'done';

      return false;
    }
    if (lineEnd === -1) {
      if (this.pending.length > 256) this.malformedReason = 'a boundary line is too long';

      return false;
    }
    if (this.pending.subarray(0, lineEnd).toString('latin1').trim() !== '') {
      this.malformedReason = 'a boundary line has unexpected characters';

      return false;
    }
    this.consume(lineEnd + CRLF.length);
    this.state = 'headers';

    return true;
  }

  private headers(): boolean {
    // A part without headers starts right away with the blank line.
    const end = this.pending.subarray(0, 2).equals(CRLF) ? -2 : this.pending.indexOf(HEADER_END);
    if (end === -1) {
      if (this.pending.length > MAX_HEADER_BYTES)
        this.malformedReason = 'a part header is too long';

      return false;
    }
    const block = end < 0 ? '' : this.pending.subarray(0, end).toString('utf8');
    this.consume(end < 0 ? CRLF.length : end + HEADER_END.length);
    const disposition = parseDisposition(block);
    const isField = disposition.name === this.fieldName && disposition.filename === undefined;
    this.state = isField ? 'field' : 'skip';
    if (isField) {
      this.fieldStart = this.offset;
      this.fieldBytes = [];
      this.fieldLength = 0;
    }

    return true;
  }

  private keepFieldBytes(bytes: Buffer): void {
    const room = MAX_FIELD_BYTES - this.fieldLength;
    if (room <= 0 || bytes.length === 0) return;
    const kept = Buffer.from(bytes.subarray(0, room));
    this.fieldBytes.push(kept);
    this.fieldLength += kept.length;
  }

  private endField(end: number): void {
    this.fields.push({ start: this.fieldStart, end, value: Buffer.concat(this.fieldBytes) });
  }

  private consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.offset += count;
  }
}

/** The `name` and `filename` of a part's `Content-Disposition: form-data` header. */
export function parseDisposition(block: string): { name?: string; filename?: string } {
  const line = block.split('\r\n').find((header) => /^content-disposition\s*:/i.test(header));
  if (!line) return {};
  const params: Record<string, string> = {};
  const pattern = /;\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
    params[match[1].toLowerCase()] = value;
  }

  return { name: params.name, filename: params.filename ?? params['filename*'] };
}

/** The boundary of a `multipart/form-data` content type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);

  return match?.[1] ?? match?.[2];
}
