import {
  forwardedRequestHeaders,
  relayedResponseHeaders,
  upstreamRequestHeaders,
  upstreamRequestId,
} from './header-policy';
import { providerAdapter } from './provider-adapters';

const CLIENT_HEADERS = {
  authorization: 'Bearer xai-virtual-key',
  'x-api-key': 'xai-virtual-key',
  'api-key': 'k',
  'x-goog-api-key': 'k',
  cookie: 'session=1',
  host: 'router.local',
  'content-length': '42',
  'accept-encoding': 'gzip',
  connection: 'keep-alive',
  'openai-organization': 'org-client',
  'openai-project': 'proj-client',
  'x-forwarded-for': '10.0.0.1',
  'x-request-id': 'client-id',
  'x-xai-level': '2',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'prompt-caching-2024-07-31',
  'openai-beta': 'assistants=v2',
  'user-agent': 'Anthropic/JS 0.137.0',
  'x-stainless-lang': 'js',
  'x-custom': ['a', 'b'],
  'x-absent': undefined,
};

describe(forwardedRequestHeaders.name, () => {
  it('passes everything except credentials, scoping, framing and routing to a same-protocol provider', () => {
    const forwarded = forwardedRequestHeaders(CLIENT_HEADERS, 'anthropic', 'anthropic');

    expect(forwarded).toEqual({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'openai-beta': 'assistants=v2',
      'user-agent': 'Anthropic/JS 0.137.0',
      'x-stainless-lang': 'js',
      'x-custom': 'a, b',
    });
  });

  it('drops any other credential-like header, but not the idempotency key', () => {
    const forwarded = forwardedRequestHeaders(
      {
        'ocp-apim-subscription-key': 'k',
        'chatgpt-account-id': 'acct',
        'x-amz-security-token': 't',
        'x-client-secret': 's',
        'set-cookie': 'a=1',
        'idempotency-key': 'stainless-node-retry-1',
        'x-keyboard': 'kept',
      },
      'openai',
      'openai',
    );

    expect(forwarded).toEqual({
      'idempotency-key': 'stainless-node-retry-1',
      'x-keyboard': 'kept',
    });
  });

  it('passes nothing to a provider reached through translation', () => {
    expect(forwardedRequestHeaders(CLIENT_HEADERS, 'anthropic', 'openai')).toEqual({});
  });

  it('matches header names case-insensitively', () => {
    const forwarded = forwardedRequestHeaders(
      { Authorization: 'Bearer x', 'OpenAI-Beta': 'v' },
      'openai',
      'openai',
    );

    expect(forwarded).toEqual({ 'openai-beta': 'v' });
  });
});

describe(upstreamRequestHeaders.name, () => {
  const target = { baseUrl: 'https://api.anthropic.com', secret: 'sk-ant-provider' };

  it("lets the client's anthropic-version override the default but never the key", () => {
    const headers = upstreamRequestHeaders(
      providerAdapter('anthropic'),
      target,
      { 'anthropic-version': '2099-01-01', 'x-api-key': 'stolen' },
      'anthropic',
    );

    expect(headers).toEqual({ 'anthropic-version': '2099-01-01', 'x-api-key': 'sk-ant-provider' });
  });

  it('keeps the default version for a translated call', () => {
    const headers = upstreamRequestHeaders(
      providerAdapter('anthropic'),
      target,
      { 'anthropic-version': 'x' },
      'openai',
    );

    expect(headers).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-provider' });
  });
});

describe(relayedResponseHeaders.name, () => {
  it('relays rate limits, retry hints and processing time only', () => {
    const relayed = relayedResponseHeaders({
      'x-ratelimit-remaining-requests': '99',
      'anthropic-ratelimit-tokens-remaining': '1000',
      'retry-after': '3',
      'openai-processing-ms': '120',
      'set-cookie': ['a=1'],
      'content-type': 'application/json',
      server: 'cloudflare',
    });

    expect(relayed).toEqual({
      'x-ratelimit-remaining-requests': '99',
      'anthropic-ratelimit-tokens-remaining': '1000',
      'retry-after': '3',
      'openai-processing-ms': '120',
    });
  });
});

describe(upstreamRequestId.name, () => {
  it.each([
    [{ 'x-request-id': 'req_openai' }, 'req_openai'],
    [{ 'request-id': 'req_anthropic' }, 'req_anthropic'],
    [{ 'apim-request-id': 'azure-1' }, 'azure-1'],
    [{}, null],
  ])('finds the provider request id in %j', (headers, expected) => {
    expect(upstreamRequestId(headers)).toBe(expected);
  });
});
