const REDACTED = Buffer.from('[redacted]', 'utf8');

/**
 * Removes given byte strings (the encoded forms of the secret an upstream call sent) from a
 * stream of chunks, also when one is split across chunks. Only the tail of a chunk that could
 * be the start of a form is held back, until the next chunk (or {@link end}) tells; everything
 * before it passes at once, so a chunk that cannot start a form is never delayed. Works on bytes
 * (`Buffer.indexOf` per form), with no text conversion, for the hot path of relayed answers.
 *
 * Forms must be given longest first (so a shorter one never leaves part of a longer one), and
 * none may occur inside `[redacted]`.
 */
export class KnownSecretFilter {
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly forms: readonly Buffer[]) {}

  /** The bytes of `chunk` (after what was held back) that can go on now, forms removed. */
  push(chunk: Buffer): Buffer {
    if (this.forms.length === 0) return chunk;

    const data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const cleaned = removeForms(data, this.forms);
    const held = this.heldTail(cleaned);
    this.carry =
      held === 0 ? Buffer.alloc(0) : Buffer.from(cleaned.subarray(cleaned.length - held));

    return held === 0 ? cleaned : cleaned.subarray(0, cleaned.length - held);
  }

  /** What is still held back, at the end of the stream: it holds no whole form. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);

    return rest;
  }

  /** How many tail bytes of `data` are a proper prefix of some form (the longest such tail). */
  private heldTail(data: Buffer): number {
    let longest = 0;
    for (const form of this.forms) {
      // Only where the form's first byte occurs can it start; the earliest such place that
      // matches gives the longest tail. `indexOf` finds them natively, not byte by byte.
      const from = data.length - Math.min(form.length - 1, data.length);
      for (
        let start = data.indexOf(form[0], from);
        start !== -1 && data.length - start > longest;
        start = data.indexOf(form[0], start + 1)
      ) {
        if (data.compare(form, 0, data.length - start, start, data.length) === 0) {
          longest = data.length - start;
          break;
        }
      }
    }

    return longest;
  }
}

/** `data` with every occurrence of each form replaced by `[redacted]`; `data` itself if none. */
export function removeForms(data: Buffer, forms: readonly Buffer[]): Buffer {
  let result = data;
  for (const form of forms) {
    let at = result.indexOf(form);
    if (at === -1) continue;

    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(result.subarray(from, at), REDACTED);
      from = at + form.length;
      at = result.indexOf(form, from);
    }
    parts.push(result.subarray(from));
    result = Buffer.concat(parts);
  }

  return result;
}
