import { join } from 'node:path';

import { freePorts } from '../../net/ports';
import { httpOk } from '../../net/probes';
import { SupervisedProcess } from '../../process/supervised-process';
import { inheritedEnv } from '../../stack/service-env';
import { appCommand, CommandLine, ownScriptCommand } from '../../stack/workspace';
import { preloadArgs } from './preload';
import { BenchException } from '../bench.exception';
import { HOLD_MODEL } from './bench-models';

/** The three ways the mock provider answers in the benchmark. */
export const MOCK_MODES = ['fast', 'delayed', 'stream'] as const;

/** One mock mode: no delay, a fixed delay before the first byte, or paced stream chunks. */
export type MockMode = (typeof MOCK_MODES)[number];

/** A process the benchmark started and where it answers. */
export interface Endpoint {
  /** Origin, e.g. `http://127.0.0.1:40123`. */
  url: string;
  pid(): number | undefined;
  logs(): string[];
  /** Stops the process gracefully and starts it again (fresh memory). */
  restart(): Promise<void>;
}

/** How the fixtures are started. */
export interface FixtureOptions {
  rootDir: string;
  fromSource: boolean;
  /** Wait before the first byte in the `delayed` mode. */
  upstreamDelayMs: number;
  /** Wait between chunks in the `stream` mode. */
  chunkDelayMs: number;
  /** Wait between chunks of the held streams (model {@link HOLD_MODEL}) of the stream mock. */
  holdChunkDelayMs: number;
  withPeer: boolean;
  logFile: (process: string) => string | undefined;
}

/** The benchmark's own processes: mocks (L0), bare proxies (L2) and the Portkey peer. */
export interface Fixtures {
  mocks: Record<MockMode, Endpoint>;
  bareProxies: Record<MockMode, Endpoint>;
  portkey?: Endpoint;
  stop(): Promise<void>;
}

const PORTKEY_START = 'node_modules/@portkey-ai/gateway/build/start-server.js';

/** Starts a mock per mode, a bare proxy in front of each, and Portkey; all on loopback. */
export async function startFixtures(options: FixtureOptions): Promise<Fixtures> {
  const ports = await freePorts(2 * MOCK_MODES.length + 1);
  const started: SupervisedProcess[] = [];
  const launch = async (
    name: string,
    command: CommandLine,
    env: NodeJS.ProcessEnv,
    url: string,
    probe: string,
  ) => {
    const child = supervised(options, name, command, env, `${url}${probe}`);
    started.push(child);
    await child.start();

    return endpoint(child, url);
  };
  try {
    const mocks = await startMocks(options, ports, launch);
    await slowDownHeldStreams(mocks.stream, options.holdChunkDelayMs);
    const bareProxies = await startBareProxies(mocks, ports, launch);
    const portkey = options.withPeer ? await startPortkey(options, ports, launch) : undefined;

    return { mocks, bareProxies, portkey, stop: () => stopAll(started) };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

type Launch = (
  name: string,
  command: CommandLine,
  env: NodeJS.ProcessEnv,
  url: string,
  probe: string,
) => Promise<Endpoint>;

async function startMocks(options: FixtureOptions, ports: number[], launch: Launch) {
  const delays: Record<MockMode, [number, number]> = {
    fast: [0, 0],
    delayed: [options.upstreamDelayMs, 0],
    stream: [0, options.chunkDelayMs],
  };
  const command = appCommand(options.rootDir, 'mock-provider', options.fromSource);
  const entries = await Promise.all(
    MOCK_MODES.map(async (mode, index) => {
      const port = ports[index];
      const env = {
        ...inheritedEnv(process.env),
        HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
        MOCK_MAX_RECORDS: '0',
        MOCK_DEFAULT_DELAY_MS: String(delays[mode][0]),
        MOCK_CHUNK_DELAY_MS: String(delays[mode][1]),
      };
      const url = `http://127.0.0.1:${port}`;

      return [mode, await launch(`mock-${mode}`, command, env, url, '/healthz')] as const;
    }),
  );

  return Object.fromEntries(entries) as Record<MockMode, Endpoint>;
}

async function startBareProxies(
  mocks: Record<MockMode, Endpoint>,
  ports: number[],
  launch: Launch,
): Promise<Record<MockMode, Endpoint>> {
  const script = ownScriptCommand(__dirname, 'bare-proxy.main');
  const entries = await Promise.all(
    MOCK_MODES.map(async (mode, index) => {
      const port = ports[MOCK_MODES.length + index];
      const command = {
        command: script.command,
        args: [...script.args, String(port), mocks[mode].url],
      };
      const url = `http://127.0.0.1:${port}`;

      return [
        mode,
        await launch(`bare-proxy-${mode}`, command, inheritedEnv(process.env), url, '/healthz'),
      ] as const;
    }),
  );

  return Object.fromEntries(entries) as Record<MockMode, Endpoint>;
}

/** Installs the stream mock's rule that paces {@link HOLD_MODEL} streams slowly. */
async function slowDownHeldStreams(mock: Endpoint, chunkDelayMs: number): Promise<void> {
  const response = await fetch(`${mock.url}/_mock/behaviours`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: HOLD_MODEL, chunkDelayMs }),
  });
  if (response.status !== 201) {
    throw new BenchException(`the mock refused the hold behaviour: ${await response.text()}`);
  }
}

/**
 * Portkey's open-source gateway, as its package starts it (`build/start-server.js`), headless
 * and in production mode (no UI routes, no log stream), bound to loopback by a preload.
 */
async function startPortkey(
  options: FixtureOptions,
  ports: number[],
  launch: Launch,
): Promise<Endpoint> {
  const port = ports[2 * MOCK_MODES.length];
  const command = {
    command: process.execPath,
    args: [
      ...preloadArgs('loopback-only.preload'),
      join(options.rootDir, PORTKEY_START),
      `--port=${port}`,
      '--headless',
    ],
  };
  const env = { ...inheritedEnv(process.env), NODE_ENV: 'production' };

  return launch('portkey', command, env, `http://127.0.0.1:${port}`, '/');
}

function supervised(
  options: FixtureOptions,
  name: string,
  command: CommandLine,
  env: NodeJS.ProcessEnv,
  readyUrl: string,
): SupervisedProcess {
  return new SupervisedProcess({
    name,
    command: command.command,
    args: command.args,
    cwd: options.rootDir,
    env,
    isReady: () => httpOk(readyUrl),
    readyTimeoutMs: 60_000,
    logFile: options.logFile(name),
  });
}

function endpoint(child: SupervisedProcess, url: string): Endpoint {
  return { url, pid: () => child.pid(), logs: () => child.logs(), restart: () => child.restart() };
}

async function stopAll(children: SupervisedProcess[]): Promise<void> {
  await Promise.all(children.map((child) => child.stop()));
}
