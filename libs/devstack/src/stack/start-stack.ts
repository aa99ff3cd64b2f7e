import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { AppLogger } from '@xai/common';

import { loadDevstackConfig } from '../devstack.config';
import { freePorts, isPortFree, PortInUseException } from '../net/ports';
import { httpOk } from '../net/probes';
import { SupervisedProcess } from '../process/supervised-process';
import { loadLocalSecrets, LocalSecrets } from '../secrets/local-secrets';
import { startInfrastructure } from './infrastructure';
import { LocalStack, StackService } from './local-stack';
import { serviceEnv } from './service-env';
import { RunningService, RunningStack, ServiceName, StartStackOptions } from './stack.types';
import { appCommand, assertBuilt, findWorkspaceRoot } from './workspace';

/** The options with every default applied. */
interface Settings {
  dataDir: string;
  persistent: boolean;
  isolate: boolean;
  rootDir: string;
  fromSource: boolean;
  databaseUrl?: string;
  redisUrl?: string;
  gatewayReplicas: number;
  logLevel: string;
  readyTimeoutMs: number;
  options: StartStackOptions;
}

/** The ports a stack's services listen on. */
interface Ports {
  config: { http: number; grpc: number };
  'key-vault': { http: number; grpc: number };
  'audit-log': { http: number; grpc: number };
  gateways: number[];
  mockProvider?: number;
}

/**
 * Starts the whole router locally: PostgreSQL and Redis (given, or embedded), then config,
 * key-vault, audit-log and the mock provider in parallel, then the gateway replicas, each a
 * supervised child process. Resolves once every service answers `/readyz`; on failure it
 * stops whatever it started and rejects naming the service and quoting its last lines.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  options.signal?.throwIfAborted();
  const settings = resolveSettings(options);
  assertBuilt(
    appNames(settings).map((app) => appCommand(settings.rootDir, app, settings.fromSource)),
  );
  await assertGatewayPortFree(settings);
  const temporaryDir = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'xai-stack-'));
  if (temporaryDir) settings.dataDir = temporaryDir;
  const stack = new LocalStack(temporaryDir);
  const abort = (): void => void stack.stop();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await mkdir(join(settings.dataDir, 'logs'), { recursive: true });
    const secrets = await loadLocalSecrets(settings.dataDir, options.ownerKey);
    new AppLogger('LocalStack').warn(
      'using a KEK generated for this machine: for local use only, never for real keys',
      { file: join(settings.dataDir, 'secrets', 'kek') },
    );
    await startInfrastructure(infrastructureOptions(settings), stack.infrastructure);
    await startServices(stack, settings, secrets, await allocatePorts(settings));

    return runningStack(stack, settings, secrets);
  } catch (error) {
    await stack.stop();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/** The settings with every default applied; `dataDir` is empty until a temporary one is made. */
function resolveSettings(options: StartStackOptions): Settings {
  const env = loadDevstackConfig();
  const persistent = options.persistent ?? options.dataDir !== undefined;

  return {
    dataDir: options.dataDir ? resolve(options.dataDir) : '',
    persistent,
    isolate: options.isolate ?? !persistent,
    rootDir: options.rootDir ?? findWorkspaceRoot(__dirname),
    fromSource: options.fromSource ?? env.XAI_FROM_SOURCE,
    databaseUrl:
      options.databaseUrl === false ? undefined : (options.databaseUrl ?? env.DATABASE_URL),
    redisUrl: options.redisUrl === false ? undefined : (options.redisUrl ?? env.REDIS_URL),
    gatewayReplicas: Math.max(1, options.gatewayReplicas ?? 1),
    logLevel: options.logLevel ?? 'info',
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    options,
  };
}

function appNames(settings: Settings): ServiceName[] {
  const apps: ServiceName[] = ['config', 'key-vault', 'audit-log', 'gateway'];

  return settings.options.withMockProvider ? [...apps, 'mock-provider'] : apps;
}

function logFile(settings: Settings): (process: string) => string | undefined {
  return (name) =>
    settings.options.logFiles === false ? undefined : join(settings.dataDir, 'logs', `${name}.log`);
}

function infrastructureOptions(settings: Settings): Parameters<typeof startInfrastructure>[0] {
  return {
    dataDir: settings.dataDir,
    rootDir: settings.rootDir,
    persistent: settings.persistent,
    isolate: settings.isolate,
    databaseUrl: settings.databaseUrl,
    redisUrl: settings.redisUrl,
    searchPath: process.env.PATH ?? '',
    logLevel: settings.logLevel,
    readyTimeoutMs: settings.readyTimeoutMs,
    logFile: logFile(settings),
    onLogLine: settings.options.onLogLine,
  };
}

/** Fails early, before anything starts, when the requested gateway port is taken. */
async function assertGatewayPortFree(settings: Settings): Promise<void> {
  const port = settings.options.gatewayPort;
  if (port === undefined || (await isPortFree(port))) return;

  throw new PortInUseException(port, 'Choose another gateway port (--port or XAI_GATEWAY_PORT).');
}

async function allocatePorts(settings: Settings): Promise<Ports> {
  const fixed = settings.options.gatewayPort;
  const wanted = 6 + settings.gatewayReplicas + (settings.options.withMockProvider ? 1 : 0);
  const free = await freePorts(wanted);
  const take = (): number => free.shift() ?? 0;
  const pair = (): { http: number; grpc: number } => ({ http: take(), grpc: take() });
  const ports: Ports = { config: pair(), 'key-vault': pair(), 'audit-log': pair(), gateways: [] };
  for (let replica = 0; replica < settings.gatewayReplicas; replica += 1)
    ports.gateways.push(take());
  if (fixed !== undefined) ports.gateways[0] = fixed;
  if (settings.options.withMockProvider) {
    const preferred = settings.options.mockProviderPort;
    ports.mockProvider = preferred && (await isPortFree(preferred)) ? preferred : take();
  }

  return ports;
}

async function startServices(
  stack: LocalStack,
  settings: Settings,
  secrets: LocalSecrets,
  ports: Ports,
): Promise<void> {
  const add = (name: string, app: ServiceName, http: number, grpc?: number): StackService =>
    stack.add(name, defineService(stack, settings, secrets, ports, { name, app, http, grpc }));
  const backends = [
    add('config', 'config', ports.config.http, ports.config.grpc),
    add('key-vault', 'key-vault', ports['key-vault'].http, ports['key-vault'].grpc),
    add('audit-log', 'audit-log', ports['audit-log'].http, ports['audit-log'].grpc),
  ];
  if (ports.mockProvider) backends.push(add('mock-provider', 'mock-provider', ports.mockProvider));
  await Promise.all(backends.map((service) => service.process.start()));

  // The first gateway alone first: on an empty database it bootstraps the owner tenant, and
  // replicas racing to do the same would only make the logs harder to read.
  const gateways = ports.gateways.map((port, index) =>
    add(index === 0 ? 'gateway' : `gateway-${index + 1}`, 'gateway', port),
  );
  await gateways[0].process.start();
  await Promise.all(gateways.slice(1).map((service) => service.process.start()));
}

interface ServiceSlot {
  name: string;
  app: ServiceName;
  http: number;
  grpc?: number;
}

function defineService(
  stack: LocalStack,
  settings: Settings,
  secrets: LocalSecrets,
  ports: Ports,
  slot: ServiceSlot,
): StackService {
  const httpUrl = `http://127.0.0.1:${slot.http}`;
  const { command, args } = appCommand(settings.rootDir, slot.app, settings.fromSource);
  const env = serviceEnv(process.env, {
    service: slot.app,
    httpPort: slot.http,
    grpcPort: slot.grpc,
    grpcUrls: {
      config: `127.0.0.1:${ports.config.grpc}`,
      keyVault: `127.0.0.1:${ports['key-vault'].grpc}`,
      auditLog: `127.0.0.1:${ports['audit-log'].grpc}`,
    },
    databaseUrl: isDatabaseService(slot.app)
      ? stack.infrastructure.databaseUrls[slot.app]
      : undefined,
    embeddedDatabase: stack.infrastructure.embeddedDatabase,
    redisUrl: stack.infrastructure.redisUrl,
    redisPrefix: stack.infrastructure.redisPrefix,
    kek: secrets.kek,
    pepper: secrets.pepper,
    serviceToken: secrets.serviceToken,
    ownerKey: secrets.ownerKey,
    logLevel: settings.logLevel,
    overrides: {
      // Each gateway's audit spool lives with the stack's data, not in a folder shared by port.
      ...(slot.app === 'gateway'
        ? { XAI_AUDIT_SPOOL_DIR: join(settings.dataDir, 'audit-spool', slot.name) }
        : {}),
      ...settings.options.env?.[slot.app],
    },
  });
  const supervised = new SupervisedProcess({
    name: slot.name,
    command,
    args,
    cwd: settings.rootDir,
    env,
    // The mock provider is a test double with no dependencies: alive means ready.
    isReady: () => httpOk(`${httpUrl}${slot.app === 'mock-provider' ? '/healthz' : '/readyz'}`),
    readyTimeoutMs: settings.readyTimeoutMs,
    logFile: logFile(settings)(slot.name),
    onLogLine: settings.options.onLogLine,
    onShownOnce: (_name, shown) => stack.shownOnce.push(shown),
  });

  return {
    process: supervised,
    httpUrl,
    grpcUrl: slot.grpc ? `127.0.0.1:${slot.grpc}` : undefined,
  };
}

function isDatabaseService(app: ServiceName): app is 'config' | 'key-vault' | 'audit-log' {
  return app === 'config' || app === 'key-vault' || app === 'audit-log';
}

function runningStack(stack: LocalStack, settings: Settings, secrets: LocalSecrets): RunningStack {
  const services: Record<string, RunningService> = {};
  for (const [name, service] of stack.services) {
    services[name] = {
      httpUrl: service.httpUrl,
      grpcUrl: service.grpcUrl,
      pid: () => service.process.pid(),
      state: () => service.process.state,
      restarts: () => service.process.restarts,
    };
  }
  const gatewayUrls = [...stack.services]
    .filter(([name]) => name.startsWith('gateway'))
    .map(([, service]) => service.httpUrl);

  return {
    gatewayUrl: gatewayUrls[0],
    gatewayUrls,
    ownerKey: secrets.ownerKey,
    ownerKeyFile: secrets.ownerKeyFile,
    ownerKeyCreated: secrets.ownerKeyCreated,
    shownOnce: stack.shownOnce,
    mockProviderUrl: stack.services.get('mock-provider')?.httpUrl,
    databaseUrls: { ...stack.infrastructure.databaseUrls },
    redisUrl: stack.infrastructure.redisUrl,
    redisPrefix: stack.infrastructure.redisPrefix,
    dataDir: settings.dataDir,
    embedded: {
      database: stack.infrastructure.embeddedDatabase,
      redis: stack.infrastructure.processes.some((supervised) => supervised.name === 'redis'),
    },
    services,
    logs: (service) => stack.logs(service),
    kill: (service, signal) => stack.process(service).kill(signal),
    restart: (service) => stack.process(service).restart(),
    stopInfra: (name) => stack.process(name).suspend(),
    startInfra: (name) => stack.process(name).start(),
    stop: () => stack.stop(),
  };
}
