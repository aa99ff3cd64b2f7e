import { SseParser } from '@xai/providers';

import { RecordedRequest } from '../src/recording/request-recorder';
import { RunningMockProvider, startMockProvider } from './mock-provider.process';

const MODEL = 'gemini-mock-2.5';
const KEY = 'AIza-test-gemini-key';
const QUESTION = { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] };
const TOOLS = [
  {
    functionDeclarations: [
      {
        name: 'get_weather',
        description: 'Current weather',
        parametersJsonSchema: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
      {
        name: 'get_time',
        parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } },
      },
      { name: 'unused' },
    ],
  },
];

interface GeminiPart {
  text?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  thoughtSignature?: string;
}

interface GeminiResponse {
  candidates: {
    content: { role: string; parts: GeminiPart[] };
    finishReason?: string;
    index: number;
  }[];
  usageMetadata: Record<string, number>;
  modelVersion: string;
  responseId: string;
}

describe('MockProvider Gemini mode (e2e)', () => {
  let mock: RunningMockProvider;
  const call = async (
    method: string,
    body: unknown,
    query = '',
    headers: Record<string, string> = { 'x-goog-api-key': KEY },
  ) =>
    fetch(`${mock.url}/v1beta/models/${MODEL}:${method}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const generate = async (body: unknown): Promise<GeminiResponse> => {
    const response = await call('generateContent', body);
    expect(response.status).toBe(200);

    return (await response.json()) as GeminiResponse;
  };
  const streamEvents = async (
    body: unknown,
  ): Promise<{ raw: string; events: GeminiResponse[] }> => {
    const response = await call('streamGenerateContent', body, '?alt=sse');
    const raw = await response.text();
    const parser = new SseParser();
    const events = [...parser.push(new TextEncoder().encode(raw)), ...parser.end()];

    return { raw, events: events.map((event) => JSON.parse(event.data) as GeminiResponse) };
  };
  const text = (response: GeminiResponse): string =>
    response.candidates[0].content.parts.map((part) => part.text ?? '').join('');
  const recorded = async (apiKey: string): Promise<RecordedRequest[]> =>
    (await mock.control(
      'GET',
      `/_mock/requests?apiKey=${encodeURIComponent(apiKey)}`,
    )) as RecordedRequest[];

  beforeAll(async () => {
    mock = await startMockProvider();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  beforeEach(async () => {
    await mock.control('DELETE', '/_mock/requests');
    await mock.control('DELETE', '/_mock/behaviours');
  });

  it('answers generateContent with a candidate, usage metadata and the model version', async () => {
    const response = await generate({ contents: [QUESTION] });

    expect(response.candidates).toEqual([
      {
        content: {
          role: 'model',
          parts: [
            { text: expect.stringMatching(/^Mock reply to 1 message\(s\) for gemini-mock-2.5: /) },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ]);
    expect(response.modelVersion).toBe(MODEL);
    const usage = response.usageMetadata;
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount + usage.candidatesTokenCount);
  });

  it('streams the same text over CRLF-framed SSE, finishing and counting on the last event', async () => {
    const body = { contents: [QUESTION], systemInstruction: { parts: [{ text: 'Be brief.' }] } };
    const whole = await generate(body);

    const { raw, events } = await streamEvents(body);

    expect(raw).toContain('\r\n\r\n');
    expect(events.length).toBeGreaterThan(1);
    expect(events.map(text).join('')).toBe(text(whole));
    expect(events.at(-1)?.candidates[0].finishReason).toBe('STOP');
    expect(events.at(-1)?.usageMetadata).toEqual(whole.usageMetadata);
    expect(
      events.slice(0, -1).every((event) => event.candidates[0].finishReason === undefined),
    ).toBe(true);
  });

  it('answers streamGenerateContent without alt=sse as a JSON array', async () => {
    const response = await call('streamGenerateContent', { contents: [QUESTION] });

    const body = (await response.json()) as GeminiResponse[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.at(-1)?.candidates[0].finishReason).toBe('STOP');
  });

  it('records the key from x-goog-api-key or from ?key=, with the path but not the query', async () => {
    await call('generateContent', { contents: [QUESTION] }, '?key=AIza-from-query', {});
    await generate({ contents: [QUESTION] });

    const [byQuery] = await recorded('AIza-from-query');
    const [byHeader] = await recorded(KEY);

    expect(byQuery).toMatchObject({
      path: `/v1beta/models/${MODEL}:generateContent`,
      model: MODEL,
      status: 200,
    });
    expect(byHeader).toMatchObject({
      path: `/v1beta/models/${MODEL}:generateContent`,
      model: MODEL,
    });
  });

  describe('function calling', () => {
    it('calls the first two functions in parallel, then answers with their responses', async () => {
      const first = await generate({ contents: [QUESTION], tools: TOOLS });
      const calls = first.candidates[0].content.parts;
      const second = await generate({
        contents: [
          QUESTION,
          first.candidates[0].content,
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { result: '18°C and sunny' } } },
              { functionResponse: { name: 'get_time', response: { time: '14:05', zone: 'CET' } } },
            ],
          },
        ],
        tools: TOOLS,
      });

      expect(calls.map((part) => part.functionCall?.name)).toEqual(['get_weather', 'get_time']);
      expect(calls[0].functionCall?.args).toEqual({ city: expect.stringMatching(/^city-/) });
      expect(calls[0].thoughtSignature).toEqual(expect.any(String));
      expect(calls[1].thoughtSignature).toBeUndefined();
      expect(first.candidates[0].finishReason).toBe('STOP');
      expect(text(second)).toBe(
        'Mock reply using 2 tool result(s) for gemini-mock-2.5: get_weather → 18°C and sunny; get_time → {"time":"14:05","zone":"CET"}.',
      );
    });

    it('streams function calls whole, in one event', async () => {
      const { events } = await streamEvents({ contents: [QUESTION], tools: TOOLS });

      expect(events).toHaveLength(1);
      expect(events[0].candidates[0].content.parts.map((part) => part.functionCall?.name)).toEqual([
        'get_weather',
        'get_time',
      ]);
    });

    it('follows the function calling mode', async () => {
      const only = await generate({
        contents: [QUESTION],
        tools: TOOLS,
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
      });
      const none = await generate({
        contents: [QUESTION],
        tools: TOOLS,
        toolConfig: { functionCallingConfig: { mode: 'NONE' } },
      });

      expect(only.candidates[0].content.parts.map((part) => part.functionCall?.name)).toEqual([
        'get_time',
      ]);
      expect(text(none)).toMatch(/^Mock reply to/);
    });

    it('refuses a turn answering fewer calls than were made, as Gemini does', async () => {
      const first = await generate({ contents: [QUESTION], tools: TOOLS });

      const response = await call('generateContent', {
        contents: [
          QUESTION,
          first.candidates[0].content,
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'get_weather', response: { result: 'x' } } }],
          },
        ],
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 400, status: 'INVALID_ARGUMENT' },
      });
    });
  });

  it('answers JSON that fits responseJsonSchema', async () => {
    const response = await generate({
      contents: [QUESTION],
      generationConfig: {
        responseMimeType: 'application/json',
        responseJsonSchema: {
          type: 'object',
          properties: { answer: { type: 'string' }, ok: { type: 'boolean' } },
        },
      },
    });

    expect(JSON.parse(text(response))).toEqual({
      answer: expect.stringMatching(/^answer-/),
      ok: expect.any(Boolean),
    });
  });

  it.each([
    ['stopSequences', { stopSequences: [' for'] }, 'STOP', 'Mock reply to 1 message(s)'],
    ['maxOutputTokens', { maxOutputTokens: 3 }, 'MAX_TOKENS', 'Mock reply to'],
  ])('stops at %s', async (_name, generationConfig, finishReason, expected) => {
    const response = await generate({ contents: [QUESTION], generationConfig });

    expect(response.candidates[0].finishReason).toBe(finishReason);
    expect(text(response)).toBe(expected);
  });

  it('reports thought tokens when thinking has a budget, and several candidates when asked', async () => {
    const response = await generate({
      contents: [QUESTION],
      generationConfig: { thinkingConfig: { thinkingBudget: 1024 }, candidateCount: 2 },
    });

    const usage = response.usageMetadata;
    expect(usage.thoughtsTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(
      usage.promptTokenCount + usage.candidatesTokenCount + usage.thoughtsTokenCount,
    );
    expect(response.candidates.map((candidate) => candidate.index)).toEqual([0, 1]);
  });

  it('counts tokens as generateContent would', async () => {
    const body = { contents: [QUESTION] };

    const counted = await call('countTokens', {
      generateContentRequest: { model: `models/${MODEL}`, ...body },
    });
    const response = await generate(body);

    expect(await counted.json()).toEqual({ totalTokens: response.usageMetadata.promptTokenCount });
  });

  describe('errors', () => {
    it('answers 403 PERMISSION_DENIED without a key', async () => {
      const response = await call('generateContent', { contents: [QUESTION] }, '', {});

      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 403, message: expect.any(String), status: 'PERMISSION_DENIED' },
      });
    });

    it('answers 400 INVALID_ARGUMENT for a request without contents', async () => {
      const response = await call('generateContent', { contents: [] });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 400, status: 'INVALID_ARGUMENT' },
      });
    });

    it('answers 404 for a method Gemini does not have', async () => {
      const response = await call('summarize', { contents: [QUESTION] });

      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { status: 'NOT_FOUND' } });
    });

    it('makes a behaviour status a Google-shaped error', async () => {
      await mock.control('POST', '/_mock/behaviours', { apiKey: KEY, status: 429 });

      const response = await call('generateContent', { contents: [QUESTION] });

      expect(response.status).toBe(429);
      expect(await response.json()).toMatchObject({
        error: { code: 429, status: 'RESOURCE_EXHAUSTED' },
      });
    });

    it('ends a stream with a Google-shaped error event in error-event mode', async () => {
      await mock.control('POST', '/_mock/behaviours', {
        failAfterChunks: 1,
        failMode: 'error-event',
      });

      const { events } = await streamEvents({ contents: [QUESTION] });

      expect(events.at(-1)).toMatchObject({ error: { status: 'UNAVAILABLE' } });
    });
  });
});
