import { TranslationException } from '../translate/translation.exception';
import type { ProviderKeyTarget, UpstreamOperation } from './provider-adapter';
import { chatTranslationOptionsFor, providerAdapter } from './provider-adapters';

const key = (baseUrl: string, settings: Record<string, unknown> = {}): ProviderKeyTarget => ({
  baseUrl,
  secret: 'sk-secret',
  settings,
});
const chat = (model = 'm', stream = false): UpstreamOperation => ({ kind: 'chat', model, stream });

describe(providerAdapter.name, () => {
  it.each([
    [
      'openai',
      key('https://api.openai.com/v1'),
      chat(),
      'https://api.openai.com/v1/chat/completions',
    ],
    [
      'openai',
      key('https://api.deepseek.com'),
      chat(),
      'https://api.deepseek.com/v1/chat/completions',
    ],
    [
      'openai',
      key('http://127.0.0.1:11434/v1/'),
      { kind: 'path', path: '/embeddings' },
      'http://127.0.0.1:11434/v1/embeddings',
    ],
    [
      'anthropic',
      key('https://api.anthropic.com'),
      chat(),
      'https://api.anthropic.com/v1/messages',
    ],
    [
      'anthropic',
      key('https://api.anthropic.com/v1/'),
      chat(),
      'https://api.anthropic.com/v1/messages',
    ],
    [
      'anthropic',
      key('https://api.anthropic.com'),
      { kind: 'count-tokens', model: 'm' },
      'https://api.anthropic.com/v1/messages/count_tokens',
    ],
    [
      'gemini',
      key('https://generativelanguage.googleapis.com'),
      chat('gemini-2.5-flash'),
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    ],
    [
      'gemini',
      key('https://generativelanguage.googleapis.com/v1beta/'),
      chat('models/gemini-2.5-flash', true),
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    ],
    [
      'gemini',
      key('https://generativelanguage.googleapis.com', { api_version: 'v1' }),
      { kind: 'count-tokens', model: 'gemini-x' },
      'https://generativelanguage.googleapis.com/v1/models/gemini-x:countTokens',
    ],
    [
      'gemini',
      key('https://g.example/v1alpha'),
      { kind: 'path', path: '/models' },
      'https://g.example/v1alpha/models',
    ],
    [
      'azure',
      key('https://res.openai.azure.com', {
        deployments: { 'gpt-4o': 'prod-4o' },
        api_version: '2025-01-01-preview',
      }),
      chat('gpt-4o'),
      'https://res.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2025-01-01-preview',
    ],
    [
      'azure',
      key('https://res.openai.azure.com/openai/', { deployment: 'main' }),
      chat('gpt-4o'),
      'https://res.openai.azure.com/openai/deployments/main/chat/completions?api-version=2024-10-21',
    ],
    [
      'azure',
      key('https://res.openai.azure.com'),
      chat('gpt-4o'),
      'https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    ],
    [
      'azure',
      key('https://res.openai.azure.com'),
      { kind: 'path', path: '/embeddings', model: 'te-3' },
      'https://res.openai.azure.com/openai/deployments/te-3/embeddings?api-version=2024-10-21',
    ],
    [
      'azure',
      key('https://res.openai.azure.com'),
      { kind: 'path', path: '/models' },
      'https://res.openai.azure.com/openai/models?api-version=2024-10-21',
    ],
    [
      'azure',
      key('https://res.openai.azure.com', { api_version: 'v1' }),
      chat('gpt-4o'),
      'https://res.openai.azure.com/openai/v1/chat/completions',
    ],
    [
      'azure',
      key('https://res.openai.azure.com'),
      { kind: 'path', path: '/responses' },
      'https://res.openai.azure.com/openai/v1/responses',
    ],
    [
      'azure',
      key('https://res.openai.azure.com/openai', { api_version: '2025-01-01-preview' }),
      { kind: 'path', path: '/responses/resp_1/input_items' },
      'https://res.openai.azure.com/openai/v1/responses/resp_1/input_items',
    ],
    [
      'azure',
      key('https://res.openai.azure.com', { api_version: '2025-03-01-preview' }),
      { kind: 'path', path: '/responses' },
      'https://res.openai.azure.com/openai/responses?api-version=2025-03-01-preview',
    ],
    [
      'azure',
      key('https://res.openai.azure.com', { api_version: 'preview' }),
      { kind: 'path', path: '/responses' },
      'https://res.openai.azure.com/openai/responses?api-version=preview',
    ],
    [
      'azure',
      key('https://res.openai.azure.com', { api_version: '2024-10-21' }),
      { kind: 'path', path: '/responses-like' },
      'https://res.openai.azure.com/openai/responses-like?api-version=2024-10-21',
    ],
  ] as const)('builds the %s URL for %j', (type, target, operation, expected) => {
    expect(providerAdapter(type).url(target, operation)).toBe(expected);
  });

  it.each([
    ['openai', { authorization: 'Bearer sk-secret' }],
    ['anthropic', { 'x-api-key': 'sk-secret' }],
    ['gemini', { 'x-goog-api-key': 'sk-secret' }],
    ['azure', { 'api-key': 'sk-secret' }],
  ] as const)('puts the %s key in its own header', (type, expected) => {
    expect(providerAdapter(type).authHeaders(key('https://h'))).toEqual(expected);
  });

  it('adds OpenAI organization and project from the key config', () => {
    const headers = providerAdapter('openai').authHeaders(
      key('https://h', { organization: 'org-1', project: 'proj-1' }),
    );

    expect(headers).toEqual({
      authorization: 'Bearer sk-secret',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
  });

  it('asks Anthropic for a version, the configured one first', () => {
    const adapter = providerAdapter('anthropic');

    expect(adapter.defaultHeaders(key('https://h'))).toEqual({ 'anthropic-version': '2023-06-01' });
    expect(adapter.defaultHeaders(key('https://h', { anthropic_version: '2024-01-01' }))).toEqual({
      'anthropic-version': '2024-01-01',
    });
  });

  it('never puts the Gemini key in the URL', () => {
    const url = providerAdapter('gemini').url(key('https://g.example'), chat('x', true));

    expect(url).not.toContain('sk-secret');
  });

  it.each([
    ['openai', 'openai'],
    ['azure', 'openai'],
    ['anthropic', 'anthropic'],
    ['gemini', 'gemini'],
  ] as const)('knows %s speaks %s', (type, protocol) => {
    expect(providerAdapter(type).protocol).toBe(protocol);
  });

  it.each(['openai', 'azure'] as const)('refuses token counting for %s', (type) => {
    const act = () =>
      providerAdapter(type).url(key('https://h'), { kind: 'count-tokens', model: 'm' });

    expect(act).toThrow(TranslationException);
  });
});

describe(chatTranslationOptionsFor.name, () => {
  it.each([
    ['openai', key('https://api.openai.com/v1'), { maxTokensField: 'max_completion_tokens' }],
    ['openai', key('https://api.deepseek.com'), { maxTokensField: 'max_tokens' }],
    [
      'openai',
      key('https://api.deepseek.com', { max_tokens_field: 'max_completion_tokens' }),
      { maxTokensField: 'max_completion_tokens' },
    ],
    ['azure', key('https://res.openai.azure.com'), { maxTokensField: 'max_completion_tokens' }],
    ['anthropic', key('https://api.anthropic.com'), {}],
  ] as const)('gives %s at %j its options', (type, target, expected) => {
    expect(chatTranslationOptionsFor(type, target)).toEqual(expected);
  });
});
