import {
  answerVerdict,
  failureVerdict,
  streamErrorVerdict,
  verdictNeedsBody,
} from './attempt-verdict';

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

describe('answerVerdict on a 400', () => {
  it("takes Anthropic's low credit balance as a quota error: the key dies, the call moves on", () => {
    const body = {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'Your credit balance is too low to access the Anthropic API. ' +
          'Please go to Plans & Billing to upgrade or purchase credits.',
      },
    };

    const verdict = answerVerdict(400, {}, NOW, JSON.stringify(body));

    expect(verdict).toEqual({ kind: 'fatal', reason: 'quota', detail: 'credit balance too low' });
    expect(verdictNeedsBody(400)).toBe(true);
  });

  it.each([
    [
      "Gemini's billing precondition",
      {
        error: {
          code: 400,
          status: 'FAILED_PRECONDITION',
          message: 'Gemini API free tier is not available in your country. Please enable billing.',
        },
      },
      { kind: 'fatal', reason: 'quota', detail: 'billing' },
    ],
    [
      "Gemini's invalid API key",
      {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'API key not valid. Please pass a valid API key.',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
          ],
        },
      },
      { kind: 'fatal', reason: 'unauthorized', detail: 'API_KEY_INVALID' },
    ],
    [
      "OpenAI's billing code",
      { error: { message: 'Billing is not active.', code: 'billing_not_active' } },
      { kind: 'fatal', reason: 'quota', detail: 'billing_not_active' },
    ],
    [
      'a request the provider cannot take',
      { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too big' } },
      { kind: 'client_error' },
    ],
  ])('judges %s', (_, body, verdict) => {
    expect(answerVerdict(400, {}, NOW, JSON.stringify(body))).toEqual(verdict);
  });

  it("keeps a 400 without a body, or with text, the caller's error", () => {
    expect(answerVerdict(400, {}, NOW)).toEqual({ kind: 'client_error' });
    expect(answerVerdict(400, {}, NOW, '<html>Bad Request</html>')).toEqual({
      kind: 'client_error',
    });
  });
});

describe('answerVerdict on a Gemini 429', () => {
  it('sleeps for the RetryInfo delay in the body when no header gives one', () => {
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'You exceeded your current quota.',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '21s' }],
      },
    };

    const verdict = answerVerdict(429, {}, NOW, JSON.stringify(body));

    expect(verdict).toEqual({ kind: 'rate_limited', retryAfterMs: 21_000, detail: 'HTTP 429' });
  });
});

describe('streamErrorVerdict', () => {
  it.each([
    [
      "Anthropic's overload",
      {
        event: 'error',
        data: '{"type":"error","error":{"type":"overloaded_error","message":"x"}}',
      },
      { kind: 'transient', reason: 'server_error', detail: 'stream error overloaded_error' },
    ],
    [
      "OpenAI's rate limit",
      { event: 'message', data: '{"error":{"type":"requests","code":"rate_limit_exceeded"}}' },
      { kind: 'rate_limited', retryAfterMs: null, detail: 'stream error requests' },
    ],
    [
      'a spent quota',
      { event: 'message', data: '{"error":{"type":"insufficient_quota","message":"x"}}' },
      { kind: 'fatal', reason: 'quota', detail: 'stream error insufficient_quota' },
    ],
    [
      'a request the provider refuses',
      { event: 'error', data: '{"type":"error","error":{"type":"invalid_request_error"}}' },
      { kind: 'client_error' },
    ],
  ])('judges a stream opening with %s', (_, event, verdict) => {
    expect(streamErrorVerdict(event)).toEqual(verdict);
  });

  it('finds no error in an ordinary first event', () => {
    expect(streamErrorVerdict({ event: 'message', data: '{"choices":[]}' })).toBeUndefined();
    expect(streamErrorVerdict({ event: 'message_start', data: '{"type":"message_start"}' })).toBe(
      undefined,
    );
    expect(streamErrorVerdict({ event: 'message', data: '[DONE]' })).toBeUndefined();
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
