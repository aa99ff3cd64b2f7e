import { answerVerdict, failureVerdict, verdictNeedsBody } from './attempt-verdict';

const NOW = 0;

describe('answerVerdict', () => {
  it.each([
    [200, { kind: 'success' }],
    [400, { kind: 'client_error' }],
    [404, { kind: 'client_error' }],
    [401, { kind: 'fatal', reason: 'unauthorized', detail: 'HTTP 401' }],
    [403, { kind: 'fatal', reason: 'forbidden', detail: 'HTTP 403' }],
    [402, { kind: 'fatal', reason: 'quota', detail: 'HTTP 402' }],
    [500, { kind: 'transient', reason: 'server_error', detail: 'HTTP 500' }],
    [529, { kind: 'transient', reason: 'server_error', detail: 'HTTP 529' }],
    [408, { kind: 'transient', reason: 'timeout', detail: 'HTTP 408' }],
  ])('judges HTTP %i', (status, verdict) => {
    expect(answerVerdict(status, {}, NOW)).toEqual(verdict);
  });

  it('tells a spent quota (dead key) from a rate limit (sleeping key) by the error code', () => {
    const quota = JSON.stringify({
      error: { type: 'insufficient_quota', code: 'insufficient_quota' },
    });
    const rate = JSON.stringify({ error: { type: 'requests', code: 'rate_limit_exceeded' } });

    const verdicts = [
      answerVerdict(429, {}, NOW, quota),
      answerVerdict(429, { 'retry-after': '30' }, NOW, rate),
      answerVerdict(429, {}, NOW, 'not json'),
    ];

    expect(verdicts).toEqual([
      { kind: 'fatal', reason: 'quota', detail: 'insufficient_quota' },
      { kind: 'rate_limited', retryAfterMs: 30_000, detail: 'HTTP 429' },
      { kind: 'rate_limited', retryAfterMs: null, detail: 'HTTP 429' },
    ]);
    expect(verdictNeedsBody(429)).toBe(true);
    expect(verdictNeedsBody(500)).toBe(false);
  });

  it.each([
    [
      'model_not_found',
      { error: { message: 'The model `gpt-5` does not exist', code: 'model_not_found' } },
      'HTTP 403 model_not_found',
    ],
    [
      'a "no access to model" message',
      { error: { message: 'Project abc does not have access to model gpt-4o', code: null } },
      'HTTP 403 model refused',
    ],
    [
      "Gemini's wording",
      { error: { code: 403, message: 'Model gemini-ultra is not allowed for this API key.' } },
      'HTTP 403 model refused',
    ],
  ])('takes a 403 refusing only the model (%s) as a refusal of that model', (_, body, detail) => {
    const verdict = answerVerdict(403, {}, NOW, JSON.stringify(body));

    expect(verdict).toEqual({ kind: 'model_refused', detail });
    expect(verdictNeedsBody(403)).toBe(true);
  });

  it.each([
    { error: { message: 'This key may not use this resource.', code: 'permission_denied' } },
    { type: 'error', error: { type: 'permission_error', message: 'Your API key is disabled.' } },
  ])('keeps a 403 refusing the key itself fatal: %j', (body) => {
    const verdict = answerVerdict(403, {}, NOW, JSON.stringify(body));

    expect(verdict).toEqual({ kind: 'fatal', reason: 'forbidden', detail: 'HTTP 403' });
  });
});

describe('failureVerdict', () => {
  const withCode = (code: string): Error => Object.assign(new Error('x'), { code });

  it.each([
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'timeout', 'connect timeout'],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout', 'first byte timeout'],
    [withCode('XAI_IDLE_TIMEOUT'), 'timeout', 'idle timeout'],
    [withCode('UND_ERR_SOCKET'), 'unreachable', 'connection reset'],
    [new Error('x', { cause: withCode('ECONNREFUSED') }), 'unreachable', 'ECONNREFUSED'],
    [new Error('sk-secret in a message'), 'unreachable', 'connection failed'],
    [withCode('XAI_STREAM_INCOMPLETE'), 'server_error', 'stream ended without finishing'],
  ])('judges %s', (error, reason, detail) => {
    expect(failureVerdict(error)).toEqual({ kind: 'transient', reason, detail });
  });
});
