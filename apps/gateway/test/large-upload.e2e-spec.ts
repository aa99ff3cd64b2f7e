import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunningStack, startStack } from '@xai/devstack';
import OpenAI, { toFile } from 'openai';

import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';

interface UploadRecord {
  path: string;
  apiKey: string | null;
  status?: number;
  body: {
    _multipart?: {
      sha256: string;
      size: number;
      files: Array<{ field: string; size: number; sha256: string }>;
    };
  };
}

const FIRST = 'sk-e2e-upload-first-3c8e1b7a';
const SECOND = 'sk-e2e-upload-second-9a4d2f6e';
const MIB = 1024 * 1024;
/** Uploads sent at once in the memory test. */
const CONCURRENT = 6;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The gateway process's resident memory now and at its peak, in bytes (Linux `/proc`). */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;

  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * Large uploads (issue #5): past `XAI_UPLOAD_MEMORY_BYTES` an image or audio upload is kept in
 * a private temporary file, not in memory, and streamed to the provider from there on each
 * attempt; the file is gone when the call ends.
 */
describe('large uploads through the router', () => {
  let stack: RunningStack;
  let mock: MockControl;
  let openai: OpenAI;
  let spoolDir: string;

  const uploads = async (apiKey: string): Promise<UploadRecord[]> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/requests?apiKey=${apiKey}`);
    const records = (await response.json()) as UploadRecord[];

    return records.filter((record) => record.path === '/v1/audio/transcriptions');
  };

  const transcribe = async (audio: Buffer) =>
    openai.audio.transcriptions.create({
      model: 'whisper-big',
      file: await toFile(audio, 'talk.wav', { type: 'audio/wav' }),
    });

  const spoolEmpty = () =>
    eventually(async () => ((await readdir(spoolDir)).length === 0 ? true : undefined));
  const spoolUsed = () =>
    eventually(async () => ((await readdir(spoolDir)).length > 0 ? true : undefined), 10_000);

  beforeAll(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'xai-upload-e2e-'));
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      env: { gateway: { XAI_UPLOAD_SPOOL_DIR: spoolDir, XAI_KEY_HEALTH_CACHE_MS: '0' } },
    });
    const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    for (const [secret, level] of [
      [FIRST, 1],
      [SECOND, 2],
    ] as const) {
      const created = await admin.request('POST', '/x-keys', {
        SecretKey: secret,
        Name: `upload ${level}`,
        Level: level,
        Provider: stack.mockProviderUrl,
        Status: true,
      });
      expect(created.status).toBe(201);
    }
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'whisper*=1',
      SwitchOver: '1=2',
    });
    expect(conf.status).toBe(200);
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(spoolDir, { recursive: true, force: true });
  }, 60_000);

  it('sends a 20 MiB upload byte for byte, again on the next key, and removes its file', async () => {
    const audio = randomBytes(20 * MIB);
    const path = '/v1/audio/transcriptions';
    await mock.behave({ apiKey: FIRST, path, status: 500, times: 1 });
    await mock.behave({ apiKey: SECOND, path, delayMs: 1_500, times: 1 });

    const answer = transcribe(audio);
    const spilled = await spoolUsed();
    const transcript = await answer;

    expect(spilled).toBe(true);
    expect(transcript.text).toContain(`sha256 ${sha256(audio).slice(0, 12)}`);
    const [refused] = (await uploads(FIRST)).slice(-1);
    const [served] = (await uploads(SECOND)).slice(-1);
    expect(served.body._multipart?.files).toEqual([
      expect.objectContaining({ field: 'file', size: audio.length, sha256: sha256(audio) }),
    ]);
    expect(refused.status).toBe(500);
    expect(refused.body._multipart).toEqual(served.body._multipart);
    await spoolEmpty();
  });

  it('does not hold large uploads in the gateway’s memory, however many at once', async () => {
    const pid = stack.services.gateway.pid() ?? 0;
    const path = '/v1/audio/transcriptions';
    // Warm up the path (code loaded, pools sized) before measuring.
    await transcribe(randomBytes(4 * MIB));
    const audios = Array.from({ length: CONCURRENT }, () => randomBytes(20 * MIB));
    // Every upload is still in its call when the last has arrived: the provider answers late.
    await mock.behave({ apiKey: FIRST, path, delayMs: 2_000, times: CONCURRENT });
    // Resets the peak (VmHWM) to the current resident size.
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    const before = await memoryOf(pid);

    await Promise.all(audios.map((audio) => transcribe(audio)));
    const after = await memoryOf(pid);

    // Held whole, the uploads alone would add CONCURRENT × 20 MiB at the peak.
    expect(after.peak - before.rss).toBeLessThan((CONCURRENT * 20 * MIB) / 2);
    await spoolEmpty();
  });

  it('removes the file when the client leaves mid-upload', async () => {
    const controller = new AbortController();
    const boundary = '----xai-upload-cut';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-big\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`,
    );
    let sent = 0;
    let spilled = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (sent === 0) stream.enqueue(head);
        sent += 1;
        if (sent > 64) {
          // 4 MiB are out, past the memory limit: the gateway writes its file, then we leave.
          spilled = await spoolUsed();
          controller.abort();

          return;
        }
        stream.enqueue(randomBytes(64 * 1024));
      },
    });

    const cut = fetch(`${stack.gatewayUrl}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.ownerKey}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
      signal: controller.signal,
    });

    await expect(cut).rejects.toThrow();
    expect(spilled).toBe(true);
    await spoolEmpty();
  });
});
