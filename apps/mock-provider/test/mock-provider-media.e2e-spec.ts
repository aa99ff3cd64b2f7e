import { createHash } from 'node:crypto';

import { RunningMockProvider, startMockProvider } from './mock-provider.process';

const KEY = 'sk-test-media-mock';
const BOUNDARY = 'mock-media-boundary';

function upload(fields: Record<string, string>, file: Buffer): Buffer {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );

  return Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

describe('MockProvider model lists and media endpoints (e2e)', () => {
  let mock: RunningMockProvider;

  beforeAll(async () => {
    mock = await startMockProvider();
  }, 30_000);

  afterAll(async () => {
    await mock?.stop();
  });

  it('lists models in each protocol’s shape', async () => {
    const anthropic = await fetch(`${mock.url}/v1/models`, {
      headers: { 'x-api-key': 'sk-ant-list', 'anthropic-version': '2023-06-01' },
    });
    const gemini = await fetch(`${mock.url}/v1beta/models`, {
      headers: { 'x-goog-api-key': 'AIza-list' },
    });
    const openai = await fetch(`${mock.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEY}` },
    });

    expect(await anthropic.json()).toMatchObject({
      data: expect.arrayContaining([expect.objectContaining({ type: 'model', id: 'gpt-4o' })]),
      has_more: false,
    });
    expect(await gemini.json()).toMatchObject({
      models: expect.arrayContaining([expect.objectContaining({ name: 'models/gpt-4o' })]),
    });
    expect(await openai.json()).toMatchObject({ object: 'list' });
  });

  it('records a multipart upload’s fields, files and raw digest', async () => {
    const file = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
    const body = upload({ model: 'whisper-1', response_format: 'text' }, file);

    const response = await fetch(`${mock.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body,
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Mock transcript of a.wav (8 bytes');
    const records = (await mock.control('GET', `/_mock/requests?apiKey=${KEY}`)) as Array<{
      path: string;
      model: string;
      body: Record<string, unknown>;
    }>;
    const record = records.find((entry) => entry.path === '/v1/audio/transcriptions')!;
    const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    expect(record.model).toBe('whisper-1');
    expect(record.body._multipart).toMatchObject({
      size: body.length,
      sha256: digest(body),
      files: [{ field: 'file', filename: 'a.wav', size: 8, sha256: digest(file) }],
    });
  });

  it('streams speech audio in chunks and refuses a missing voice', async () => {
    const speech = await fetch(`${mock.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hi', response_format: 'wav' }),
    });
    const noVoice = await fetch(`${mock.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', input: 'hi' }),
    });

    expect(speech.headers.get('content-type')).toBe('audio/wav');
    const audio = Buffer.from(await speech.arrayBuffer());
    expect(audio.length).toBe(4 * 16 * 1024);
    expect(audio.subarray(0, 22).toString()).toBe('MOCK-AUDIO:tts-1:alloy');
    expect(noVoice.status).toBe(400);
  });
});
