import { createHash } from 'node:crypto';

/** A file part of a form, as the mock records it (its bytes are summarised, not kept). */
export interface FormFile {
  field: string;
  filename: string;
  contentType: string | null;
  size: number;
  sha256: string;
}

/**
 * A `multipart/form-data` body as the mock saw it: the text fields at the top (so `model` reads
 * like a JSON body's), and under `_multipart` the files and a digest of the raw bytes, which
 * tests compare with what they sent to check that the body arrived byte for byte.
 */
export interface ParsedForm {
  [field: string]: unknown;
  _multipart: { files: FormFile[]; size: number; sha256: string; boundary: string };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Parses a whole multipart body, or says why it cannot (the message of OpenAI's 400). */
export function parseForm(body: Buffer, contentType: string): ParsedForm | string {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return 'The multipart body has no boundary.';
  const marker = boundary[1] ?? boundary[2];
  const delimiter = Buffer.from(`\r\n--${marker}`);
  const form: ParsedForm = {
    _multipart: { files: [], size: body.length, sha256: sha256(body), boundary: marker },
  };
  const framed = Buffer.concat([Buffer.from('\r\n'), body]);
  let at = framed.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (framed.subarray(start, start + 2).toString() === '--') return form;
    const headersEnd = framed.indexOf('\r\n\r\n', start);
    const next = framed.indexOf(delimiter, headersEnd + 4);
    if (headersEnd === -1 || next === -1) break;
    addPart(
      form,
      framed.subarray(start + 2, headersEnd).toString('utf8'),
      framed.subarray(headersEnd + 4, next),
    );
    at = next;
  }

  return 'The multipart body is malformed (no closing boundary).';
}

function addPart(form: ParsedForm, headers: string, value: Buffer): void {
  const name = /name="([^"]*)"/i.exec(headers)?.[1];
  if (name === undefined) return;
  const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
  if (filename === undefined) {
    form[name] = value.toString('utf8');

    return;
  }
  const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? null;
  form._multipart.files.push({
    field: name,
    filename,
    contentType,
    size: value.length,
    sha256: sha256(value),
  });
}
