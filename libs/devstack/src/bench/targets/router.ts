import { BenchException } from '../bench.exception';
import { freePorts } from '../../net/ports';
import { startStack } from '../../stack/start-stack';
import type { RunningStack } from '../../stack/stack.types';
import { coldModel, HOLD_MODEL, MODE_MODELS } from './bench-models';
import { Endpoint, MOCK_MODES, MockMode } from './fixtures';
import { preloadArgs } from './preload';

/** How one router (L4) under test is started. */
export interface RouterOptions {
  rootDir: string;
  fromSource: boolean;
  mocks: Record<MockMode, Endpoint>;
  /** `XAI_AUDIT_ENABLED` of the gateway. */
  auditEnabled: boolean;
  /** How many provider keys to add for cold-key probes (levels 101, 102, …). */
  coldKeys: number;
  /** Preload the CPU-profile switch into the gateway (SIGUSR2 starts and stops it). */
  profilable: boolean;
  signal?: AbortSignal;
}

/** A running router with the benchmark's provider keys and routes in place. */
export interface RouterTarget {
  stack: RunningStack;
  /** The virtual key the benchmark calls `/v1` with. */
  virtualKey: string;
  gatewayPid(): number | undefined;
}

const MODE_LEVELS: Record<MockMode, number> = { fast: 1, delayed: 2, stream: 3 };
const COLD_LEVEL_BASE = 100;
const ADMIN_TIMEOUT_MS = 30_000;

/**
 * Starts the whole router (config, key-vault, audit-log, gateway) on the PostgreSQL and Redis
 * of `DATABASE_URL` / `REDIS_URL` when set (else embedded ones), isolated in a database and key
 * prefix of its own, and stores one provider key per mock mode, each on its own level.
 */
export async function startRouter(options: RouterOptions): Promise<RouterTarget> {
  // Metrics on, as in production: the router measured is the whole router.
  const [metricsPort] = await freePorts(1);
  const gatewayEnv: Record<string, string> = {
    XAI_AUDIT_ENABLED: String(options.auditEnabled),
    XAI_METRICS_PORT: String(metricsPort),
  };
  if (options.profilable) gatewayEnv.NODE_OPTIONS = preloadArgs('cpu-profile.preload').join(' ');
  const stack = await startStack({
    isolate: true,
    withMockProvider: false,
    rootDir: options.rootDir,
    fromSource: options.fromSource,
    env: { gateway: gatewayEnv },
    readyTimeoutMs: 120_000,
    signal: options.signal,
  });
  try {
    await configureRoutes(stack, options);
  } catch (error) {
    await stack.stop();
    throw error;
  }

  return {
    stack,
    virtualKey: stack.ownerKey,
    gatewayPid: () => stack.services.gateway?.pid(),
  };
}

async function configureRoutes(stack: RunningStack, options: RouterOptions): Promise<void> {
  const rules: string[] = [];
  for (const mode of MOCK_MODES) {
    await addProviderKey(stack, `bench ${mode}`, MODE_LEVELS[mode], options.mocks[mode].url);
    rules.push(`${MODE_MODELS[mode]}=${MODE_LEVELS[mode]}`);
  }
  rules.push(`${HOLD_MODEL}=${MODE_LEVELS.stream}`);
  for (let index = 1; index <= options.coldKeys; index++) {
    const level = COLD_LEVEL_BASE + index;
    await addProviderKey(stack, `bench cold ${index}`, level, options.mocks.fast.url);
    rules.push(`${coldModel(index)}=${level}`);
  }
  await admin(stack, 'POST', '/x-conf', { LevelMapper: rules.join(',') });
}

async function addProviderKey(
  stack: RunningStack,
  name: string,
  level: number,
  provider: string,
): Promise<void> {
  await admin(stack, 'POST', '/x-keys', {
    SecretKey: `sk-bench-${level}-${'0'.repeat(24)}`,
    Name: name,
    Level: level,
    Provider: provider,
    Status: true,
  });
}

/** One management call with the owner key; throws with the answer when it fails. */
export async function admin(
  stack: RunningStack,
  method: string,
  path: string,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new BenchException(
      `${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  }

  return text ? (JSON.parse(text) as unknown) : undefined;
}
