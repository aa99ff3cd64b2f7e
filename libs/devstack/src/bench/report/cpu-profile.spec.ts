import { CpuProfile, locationOf, originOf, summariseProfile } from './cpu-profile';

const APP = 'file:///repo/dist/apps/gateway/src/proxy/openai-proxy.service.js';
const FASTIFY = 'file:///repo/node_modules/fastify/lib/route.js';

function profile(): CpuProfile {
  return {
    nodes: [
      {
        id: 1,
        callFrame: { functionName: '(root)', url: '', lineNumber: -1 },
        children: [2, 4, 5],
      },
      { id: 2, callFrame: { functionName: 'handle', url: APP, lineNumber: 41 }, children: [3] },
      { id: 3, callFrame: { functionName: 'routeHandler', url: FASTIFY, lineNumber: 9 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    ],
    startTime: 1_000,
    endTime: 2_000,
    // Each sample is charged the interval to the next one; the last is charged nothing.
    samples: [2, 2, 3, 4, 5, 2],
    timeDeltas: [100, 100, 100, 100, 100, 100],
  };
}

describe('summariseProfile', () => {
  it('charges self time per function and leaves idle time out of the busy share', () => {
    const summary = summariseProfile(profile(), 10);

    expect(summary.busyMs).toBeCloseTo(0.4);
    expect(summary.top[0]).toMatchObject({ name: 'handle', selfPercent: 50 });
    expect(summary.byOrigin.map((entry) => entry.origin)).toEqual([
      'apps/gateway',
      'fastify',
      'gc',
    ]);
  });
});

describe('locationOf', () => {
  it('names a package file, a workspace file and a native frame', () => {
    expect(locationOf(FASTIFY, 9)).toBe('fastify/lib/route.js:10');
    expect(locationOf(APP, 41)).toBe('dist/apps/gateway/src/proxy/openai-proxy.service.js:42');
    expect(locationOf('', -1)).toBe('(native)');
  });
});

describe('originOf', () => {
  it('tells scoped packages, node internals and workspace code apart', () => {
    expect(originOf('x', 'file:///r/node_modules/@grpc/grpc-js/build/src/call.js')).toBe(
      '@grpc/grpc-js',
    );
    expect(originOf('x', 'node:internal/streams/writable')).toBe('node');
    expect(originOf('x', 'file:///r/dist/libs/providers/src/sse.js')).toBe('libs/providers');
  });
});
