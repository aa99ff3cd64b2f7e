import { providerKeyDestination, sameDestination } from './provider-key-destination';

describe(providerKeyDestination.name, () => {
  it('gives one value for spellings of the same base URL', () => {
    const spellings = [
      'https://API.example.test/v1',
      'https://api.example.test/v1/',
      'https://api.example.test:443/v1//',
      'https://api.example.test/v1#fragment',
    ];

    const destinations = spellings.map((url) => providerKeyDestination(url, 'openai'));

    expect(new Set(destinations.map((destination) => destination.baseUrl))).toEqual(
      new Set(['https://api.example.test/v1']),
    );
  });

  it('tells apart hosts, ports, paths, queries, users and provider types', () => {
    const base = providerKeyDestination('https://api.example.test/v1', 'openai');
    const others = [
      providerKeyDestination('https://api.example.test.attacker.test/v1', 'openai'),
      providerKeyDestination('https://api.example.test:8443/v1', 'openai'),
      providerKeyDestination('https://api.example.test/v2', 'openai'),
      providerKeyDestination('https://api.example.test/v1?x=1', 'openai'),
      providerKeyDestination('https://user@api.example.test/v1', 'openai'),
      providerKeyDestination('http://api.example.test/v1', 'openai'),
      providerKeyDestination('https://api.example.test/v1', 'azure'),
    ];

    expect(others.map((other) => sameDestination(base, other))).toEqual(
      Array(others.length).fill(false),
    );
  });

  it('keeps only the URL-shaping settings, sorted', () => {
    const destination = providerKeyDestination('https://r.openai.azure.com', 'azure', {
      weight: 3,
      models: ['gpt-4o'],
      deployments: { 'gpt-4o': 'prod-4o', mini: 'prod-mini' },
      deployment: 'fallback',
      api_version: '2024-10-21',
    });

    expect(destination.settings).toEqual([
      { name: 'api_version', value: '2024-10-21' },
      { name: 'deployment', value: 'fallback' },
      { name: 'deployments.gpt-4o', value: 'prod-4o' },
      { name: 'deployments.mini', value: 'prod-mini' },
    ]);
  });

  it('keeps a setting name apart from its value, so no two configs read alike', () => {
    const url = 'https://r.openai.azure.com';
    const equalsInName = providerKeyDestination(url, 'azure', { deployments: { 'gpt-4o=x': 'y' } });
    const equalsInValue = providerKeyDestination(url, 'azure', {
      deployments: { 'gpt-4o': 'x=y' },
    });

    expect(sameDestination(equalsInName, equalsInValue)).toBe(false);
  });
});
