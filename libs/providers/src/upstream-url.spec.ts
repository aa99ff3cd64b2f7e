import { upstreamUrl } from './upstream-url';

describe(upstreamUrl.name, () => {
  it.each([
    ['https://h', 'https://h/v1/chat/completions'],
    ['https://h/', 'https://h/v1/chat/completions'],
    ['https://h/v1', 'https://h/v1/chat/completions'],
    ['https://h/v1/', 'https://h/v1/chat/completions'],
    ['https://h/api/v1', 'https://h/api/v1/chat/completions'],
    ['https://h/api/v1/', 'https://h/api/v1/chat/completions'],
    ['https://h/openai', 'https://h/openai/v1/chat/completions'],
    ['https://h/api/v3', 'https://h/api/v3/chat/completions'],
    ['http://127.0.0.1:9090', 'http://127.0.0.1:9090/v1/chat/completions'],
    ['https://h/v1beta', 'https://h/v1beta/v1/chat/completions'],
  ])('joins base %s into %s', (baseUrl, expected) => {
    const url = upstreamUrl(baseUrl, '/chat/completions');

    expect(url).toBe(expected);
  });

  it('accepts a path without a leading slash', () => {
    const url = upstreamUrl('https://h/v1', 'models');

    expect(url).toBe('https://h/v1/models');
  });

  it('keeps a query string of the base URL', () => {
    const url = upstreamUrl('https://h/v1?tenant=a', '/embeddings');

    expect(url).toBe('https://h/v1/embeddings?tenant=a');
  });

  it('throws on a base URL that cannot be parsed', () => {
    const act = (): string => upstreamUrl('h/v1', '/models');

    expect(act).toThrow('Invalid URL');
  });
});
