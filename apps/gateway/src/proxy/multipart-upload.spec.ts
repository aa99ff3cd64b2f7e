import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import { AppLogger } from '@xai/common';

import { MultipartFieldScanner } from './multipart-scanner';
import { readMultipartUpload, uploadBody, uploadModel } from './multipart-upload';
import { isSpoolClosed, UploadSpool } from './upload-spool';

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

/** The spool of uploads past `memoryBytes`; every test gets its own root folder. */
let spoolRoot: string;

function options(limit = 1 << 20, memoryBytes = 1 << 20) {
  return { limit, memoryBytes, spool: new UploadSpool(spoolRoot) };
}

async function upload(chunks: Buffer[], limit = 1 << 20, memoryBytes = 1 << 20) {
  return readMultipartUpload(Readable.from(chunks), TYPE, options(limit, memoryBytes));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));

  return Buffer.concat(parts);
}

/** The folder's entries once it is empty (the spool is removed in the background), or after 2 s. */
async function emptied(folder: string): Promise<string[]> {
  const deadline = Date.now() + 2_000;
  let entries = await readdir(folder);
  while (entries.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    entries = await readdir(folder);
  }

  return entries;
}

beforeEach(async () => {
  spoolRoot = await mkdtemp(join(tmpdir(), 'xai-upload-spec-'));
});

afterEach(async () => {
  await rm(spoolRoot, { recursive: true, force: true });
});

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

    const same = await readAll(uploadBody(received, 'gpt-image-1').open());
    const renamed = await readAll(uploadBody(received, 'dall-e-2').open());

    expect(received.bytes.kind).toBe('memory');
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
      readMultipartUpload(Readable.from([Buffer.from('x')]), 'multipart/form-data', options(100)),
    ).rejects.toThrow('boundary');
  });

  it('spills a large upload to a private file, sent whole on every attempt', async () => {
    const original = form([
      { name: 'image', value: Buffer.concat([AUDIO, Buffer.alloc(5000, 7)]), filename: 'a.png' },
      { name: 'model', value: 'gpt-image-1' },
      { name: 'prompt', value: 'a hat' },
    ]);
    const spool = new UploadSpool(spoolRoot);
    const chunks = splitAt(original, [100, 2000, 4000, original.length - 40]);

    const received = await readMultipartUpload(Readable.from(chunks), TYPE, {
      ...{ limit: 1 << 20, memoryBytes: 1000 },
      spool,
    });
    const body = uploadBody(received, 'dall-e-2');
    const first = await readAll(body.open());
    const again = await readAll(body.open());

    expect(received.bytes.kind).toBe('file');
    const path = received.bytes.kind === 'file' ? received.bytes.path : '';
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readAll(uploadBody(received, 'gpt-image-1').open())).toEqual(original);
    const renamed = form([
      { name: 'image', value: Buffer.concat([AUDIO, Buffer.alloc(5000, 7)]), filename: 'a.png' },
      { name: 'model', value: 'dall-e-2' },
      { name: 'prompt', value: 'a hat' },
    ]);
    expect(first.equals(renamed)).toBe(true);
    expect(again.equals(renamed)).toBe(true);
    expect(body.size).toBe(renamed.length);
    await spool.discard();
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('opens a spilled body only when it is read: a call that ended first leaves no error unheard', async () => {
    const original = form([
      { name: 'file', value: Buffer.alloc(5000, 3), filename: 'a.wav' },
      { name: 'model', value: 'whisper-1' },
    ]);
    const spool = new UploadSpool(spoolRoot);
    const received = await readMultipartUpload(Readable.from([original]), TYPE, {
      ...{ limit: 1 << 20, memoryBytes: 1000 },
      spool,
    });
    const unheard: unknown[] = [];
    const onUnheard = (error: unknown) => unheard.push(error);
    process.on('uncaughtException', onUnheard);
    try {
      // Opened for sending, then the call ends (the client left) and its spool goes.
      const bodies = [uploadBody(received, 'whisper-1'), uploadBody(received, 'other')].map(
        (body) => body.open(),
      );
      await spool.discard();
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(unheard).toEqual([]);
      // Read after all, each fails to whoever reads it, as the router's trouble (not the
      // provider's: no key is blamed for it).
      for (const body of bodies) {
        const failure = await readAll(body).catch((error: unknown) => error);
        expect(isSpoolClosed(failure)).toBe(true);
        expect((failure as Error).cause).toMatchObject({ code: 'ENOENT' });
      }
    } finally {
      process.off('uncaughtException', onUnheard);
    }
  });

  it('removes the spilled file of an upload past the limit, or cut by the client', async () => {
    const cut = new PassThrough();
    const reading = readMultipartUpload(cut, TYPE, options(1 << 20, 100));
    cut.write(Buffer.alloc(500, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    cut.destroy();

    await expect(reading).rejects.toThrow();
    await expect(upload([Buffer.alloc(600), Buffer.alloc(600)], 1000, 100)).rejects.toThrow(
      'The request body is too large.',
    );
    await expect(emptied(spoolRoot)).resolves.toEqual([]);
  });

  it('logs no storage trouble for an upload the client cut while it was being spilled', async () => {
    const warn = jest.spyOn(AppLogger.prototype, 'warn');
    try {
      for (let round = 0; round < 30; round++) {
        const cut = new PassThrough();
        const reading = readMultipartUpload(cut, TYPE, options(1 << 20, 100));
        // Cut at different moments: while the spool file is made, opened, or being written.
        const writer = setInterval(() => cut.write(Buffer.alloc(4096, 1)), 0);
        setTimeout(() => {
          clearInterval(writer);
          cut.destroy();
        }, round % 10);
        await expect(reading).rejects.toThrow();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(warn).not.toHaveBeenCalled();
      await expect(emptied(spoolRoot)).resolves.toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});
