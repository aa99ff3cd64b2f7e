import type { RunningService, RunningStack } from '../stack/stack.types';
import { formatBanner, maskUrl } from './banner';

function service(httpUrl: string, pid: number, grpcUrl?: string): RunningService {
  return { httpUrl, grpcUrl, pid: () => pid, state: () => 'ready', restarts: () => 0 };
}

function fakeStack(overrides: Partial<RunningStack> = {}): RunningStack {
  return {
    gatewayUrl: 'http://127.0.0.1:8080',
    gatewayUrls: ['http://127.0.0.1:8080'],
    ownerKey: 'xai-OWNERKEY0123456789',
    ownerKeyFile: '/repo/.xai-data/secrets/owner-key',
    ownerKeyCreated: true,
    shownOnce: [],
    mockProviderUrl: 'http://127.0.0.1:9999',
    databaseUrls: { config: 'a', 'key-vault': 'b', 'audit-log': 'c' },
    redisUrl: 'redis://127.0.0.1:7000',
    redisPrefix: 'xai:',
    dataDir: '/repo/.xai-data',
    embedded: { database: true, redis: true },
    services: {
      config: service('http://127.0.0.1:4001', 11, '127.0.0.1:4002'),
      gateway: service('http://127.0.0.1:8080', 12),
      'mock-provider': service('http://127.0.0.1:9999', 13),
    },
    logs: () => [],
    kill: async () => undefined,
    restart: async () => undefined,
    stopInfra: async () => undefined,
    startInfra: async () => undefined,
    stop: async () => undefined,
    ...overrides,
  };
}

describe('formatBanner', () => {
  it('lists each service with its address, pid and state', () => {
    const banner = formatBanner(fakeStack(), '/repo');

    expect(banner).toContain('http://127.0.0.1:4001  gRPC 127.0.0.1:4002  pid 11  ready');
    expect(banner).toMatch(/mock provider \(for trying it out\)\s+http:\/\/127\.0\.0\.1:9999/);
  });

  it('lists the gateways first', () => {
    const banner = formatBanner(fakeStack(), '/repo');

    const order = ['gateway ', 'config ', 'mock provider'].map((label) =>
      banner.indexOf(`  ${label}`),
    );

    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
  });

  it('shows a newly created owner key and where it is kept', () => {
    const banner = formatBanner(fakeStack(), '/repo');

    expect(banner).toContain('xai-OWNERKEY0123456789');
    expect(banner).toContain('.xai-data/secrets/owner-key');
  });

  it('shows only the file of an owner key created on an earlier start', () => {
    const banner = formatBanner(fakeStack({ ownerKeyCreated: false }), '/repo');

    expect(banner).not.toContain('xai-OWNERKEY0123456789');
    expect(banner).toContain('Owner key: in .xai-data/secrets/owner-key');
  });

  it('shows a secret a service showed once, which no log holds', () => {
    const shownOnce = [{ what: 'recovery code (issues a new owner key)', secret: 'xrc-CODE123' }];

    const banner = formatBanner(fakeStack({ shownOnce }), '/repo');

    expect(banner).toContain(
      'Your recovery code (issues a new owner key), shown this once (in no log); store it now:\n  xrc-CODE123',
    );
  });

  it('gives curl commands that read the key from its file and use the mock provider', () => {
    const banner = formatBanner(fakeStack({ ownerKeyCreated: false }), '/repo');

    expect(banner).toContain(
      'curl -s http://127.0.0.1:8080/x-keys -H "Authorization: Bearer $(cat .xai-data/secrets/owner-key)"',
    );
    expect(banner).toContain('"Provider":"http://127.0.0.1:9999"');
    expect(banner).toContain('curl -s http://127.0.0.1:8080/v1/chat/completions');
  });

  it('hides the password of a given database URL', () => {
    const stack = fakeStack({
      embedded: { database: false, redis: false },
      databaseUrls: {
        config: 'postgres://app:hunter2@db:5432/xai',
        'key-vault': '',
        'audit-log': '',
      },
    });

    const banner = formatBanner(stack, '/repo');

    expect(banner).toContain('postgres://app:***@db:5432/xai');
    expect(banner).not.toContain('hunter2');
  });
});

describe('maskUrl', () => {
  it('leaves a URL without a password unchanged', () => {
    expect(maskUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
