import { Readable } from 'node:stream';

import { MultipartFieldScanner } from './multipart-scanner';
import { readMultipartUpload, uploadBytes, uploadModel } from './multipart-upload';

const BOUNDARY = '----xai-test-boundary';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

type Part = { name: string; value: Buffer | string; filename?: string };

function form(parts: Part[], boundary = BOUNDARY): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.filename === undefined ? '' : '\r\nContent-Type: application/octet-stream';
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}${type}\r\n\r\n`,
      ),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));

  return Buffer.concat(pieces);
}

/** Every byte value, and lookalikes of the delimiter that are not one. */
const AUDIO = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}x\r\n--`),
  Buffer.from([13, 10, 45, 45]),
]);

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];

  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

async function upload(chunks: Buffer[], limit = 1 << 20) {
  return readMultipartUpload(Readable.from(chunks), TYPE, limit);
}

describe(MultipartFieldScanner.name, () => {
  const body = form([
    { name: 'file', value: AUDIO, filename: 'a.mp3' },
    { name: 'model', value: 'whisper-1' },
    { name: 'prompt', value: 'hello' },
  ]);

  it('finds the model field however the body is split across reads', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const cuts = Array.from(
        { length: 1 + (seed % 7) },
        (_, i) => (seed * 7919 * (i + 1)) % body.length,
      );
      const scanner = new MultipartFieldScanner(BOUNDARY, 'model');

      for (const chunk of splitAt(body, cuts)) scanner.push(chunk);

      expect(scanner.malformed).toBeUndefined();
      expect(scanner.fields).toHaveLength(1);
      const [field] = scanner.fields;
      expect(field.value.toString()).toBe('whisper-1');
      expect(body.subarray(field.start, field.end).toString()).toBe('whisper-1');
    }
  });

  it('does not take a file part named model for the field', () => {
    const scanner = new MultipartFieldScanner(BOUNDARY, 'model');

    scanner.push(form([{ name: 'model', value: 'x', filename: 'model.bin' }]));

    expect(scanner.fields).toEqual([]);
    expect(scanner.complete).toBe(true);
  });

  it('reports a body without its closing boundary as malformed', () => {
    const scanner = new MultipartFieldScanner(BOUNDARY, 'model');

    scanner.push(form([{ name: 'model', value: 'x' }]).subarray(0, 60));

    expect(scanner.malformed).toBe('the closing boundary is missing');
  });
});

describe(readMultipartUpload.name, () => {
  it('keeps the bytes as they came and replaces only the model value', async () => {
    const original = form([
      { name: 'image', value: AUDIO, filename: 'cat.png' },
      { name: 'model', value: 'gpt-image-1' },
      { name: 'prompt', value: 'a hat' },
    ]);
    const received = await upload(splitAt(original, [10, 300, 301, 333, 340]));

    const same = Buffer.concat(uploadBytes(received, 'gpt-image-1'));
    const renamed = Buffer.concat(uploadBytes(received, 'dall-e-2'));

    expect(uploadModel(received)).toBe('gpt-image-1');
    expect(same.equals(original)).toBe(true);
    const expected = form([
      { name: 'image', value: AUDIO, filename: 'cat.png' },
      { name: 'model', value: 'dall-e-2' },
      { name: 'prompt', value: 'a hat' },
    ]);
    expect(renamed.equals(expected)).toBe(true);
  });

  it('refuses two model fields, a missing one and a body past the limit', async () => {
    const twice = await upload([
      form([
        { name: 'model', value: 'a' },
        { name: 'model', value: 'b' },
      ]),
    ]);
    const none = await upload([form([{ name: 'prompt', value: 'p' }])]);

    expect(() => uploadModel(twice)).toThrow('more than one model field');
    expect(() => uploadModel(none)).toThrow('You must provide a model parameter.');
    await expect(upload([Buffer.alloc(600), Buffer.alloc(600)], 1000)).rejects.toThrow(
      'The request body is too large.',
    );
  });

  it('refuses a multipart content type without a boundary', async () => {
    await expect(
      readMultipartUpload(Readable.from([Buffer.from('x')]), 'multipart/form-data', 100),
    ).rejects.toThrow('boundary');
  });
});
