import { chatBody, DIRECT_PROVIDER_KEY, HOLD_MODEL, MODE_MODELS, streamBody } from './bench-models';
import { Endpoint, Fixtures, MockMode } from './fixtures';
import { RouterTarget } from './router';

/** The systems the benchmark compares. */
export type TargetName = 'L0' | 'L2' | 'L4' | 'L4-audit-off' | 'portkey';

/** What the benchmark asks a target for: each mock mode, plus slow streams held open. */
export type Workload = MockMode | 'hold';

/** One HTTP request, ready to send. */
export interface BenchRequest {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A system under test: how to call it for each workload, and which process serves it. */
export interface Target {
  name: TargetName;
  request(workload: Workload): BenchRequest;
  /** The process whose memory is measured for this workload (the proxy, not the mock). */
  pid(workload: Workload): number | undefined;
  /** Other processes of the system under test that work for each call (audit-log, …). */
  companionPids?(): Array<number | undefined>;
}

const CHAT_PATH = '/v1/chat/completions';

function body(workload: Workload): string {
  if (workload === 'hold') return streamBody(HOLD_MODEL);

  return workload === 'stream' ? streamBody(MODE_MODELS.stream) : chatBody(MODE_MODELS[workload]);
}

/** The mock mode that serves a workload: held streams come from the stream mock. */
function modeOf(workload: Workload): MockMode {
  return workload === 'hold' ? 'stream' : workload;
}

function directHeaders(): Record<string, string> {
  return { authorization: `Bearer ${DIRECT_PROVIDER_KEY}`, 'content-type': 'application/json' };
}

/** A target that is a separate process per mock mode (the mock itself, or a bare proxy). */
function perMode(name: TargetName, endpoints: Record<MockMode, Endpoint>): Target {
  return {
    name,
    request: (workload) => ({
      origin: endpoints[modeOf(workload)].url,
      path: CHAT_PATH,
      headers: directHeaders(),
      body: body(workload),
    }),
    pid: (workload) => endpoints[modeOf(workload)].pid(),
  };
}

/** L0: the mock provider, called directly. */
export function mockTarget(fixtures: Fixtures): Target {
  return perMode('L0', fixtures.mocks);
}

/** L2: the bare Node proxy in front of the mock. */
export function bareProxyTarget(fixtures: Fixtures): Target {
  return perMode('L2', fixtures.bareProxies);
}

/** L4: the router, reached with a virtual key; the model name picks the mock. */
export function routerTarget(name: 'L4' | 'L4-audit-off', router: RouterTarget): Target {
  return {
    name,
    request: (workload) => ({
      origin: router.stack.gatewayUrl,
      path: CHAT_PATH,
      headers: {
        authorization: `Bearer ${router.virtualKey}`,
        'content-type': 'application/json',
      },
      body: body(workload),
    }),
    pid: () => router.gatewayPid(),
    companionPids: () =>
      ['audit-log', 'config', 'key-vault'].map((service) => router.stack.services[service]?.pid()),
  };
}

/**
 * The Portkey gateway, told per request to call an OpenAI-compatible host: the mock of the
 * workload's mode (`x-portkey-provider: openai`, `x-portkey-custom-host: <mock>/v1`).
 */
export function portkeyTarget(portkey: Endpoint, fixtures: Fixtures): Target {
  return {
    name: 'portkey',
    request: (workload) => ({
      origin: portkey.url,
      path: CHAT_PATH,
      headers: {
        ...directHeaders(),
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${fixtures.mocks[modeOf(workload)].url}/v1`,
      },
      body: body(workload),
    }),
    pid: () => portkey.pid(),
  };
}
