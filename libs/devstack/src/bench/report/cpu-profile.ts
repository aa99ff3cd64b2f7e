/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that are summarised. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the CPU time. */
export interface HotFunction {
  name: string;
  /** Where it is: a package, `node:` internals, or a path in this workspace, with the line. */
  location: string;
  selfMs: number;
  /** Of the busy (non-idle) time. */
  selfPercent: number;
}

/** Where a profile's busy time went. */
export interface ProfileSummary {
  sampledMs: number;
  busyMs: number;
  /** Busy time per origin: a package name, `node` (its internals), `gc`, `program`, `app`. */
  byOrigin: Array<{ origin: string; selfMs: number; selfPercent: number }>;
  top: HotFunction[];
  /**
   * This workspace's functions by inclusive time (themselves and what they call, synchronously):
   * the steps of the hot path. Time after an `await` is charged to whoever resumes it.
   */
  workspaceInclusive: HotFunction[];
}

/**
 * Sums the self time of every function in a CPU profile (each sample is charged the interval
 * to the next one), and of every package; idle time is left out of the busy total.
 */
export function summariseProfile(profile: CpuProfile, topCount: number): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = chargeSamples(profile);
  const byFunction = new Map<string, { name: string; location: string; us: number }>();
  const byOrigin = new Map<string, number>();
  let sampledUs = 0;
  for (const [nodeId, us] of selfUs) {
    sampledUs += us;
    const frame = frames.get(nodeId);
    if (!frame || frame.functionName === '(idle)') continue;
    const location = locationOf(frame.url, frame.lineNumber);
    const key = `${frame.functionName}@${location}`;
    const entry = byFunction.get(key) ?? {
      name: frame.functionName || '(anonymous)',
      location,
      us: 0,
    };
    entry.us += us;
    byFunction.set(key, entry);
    const origin = originOf(frame.functionName, frame.url);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
  }
  const busyUs = [...byOrigin.values()].reduce((total, us) => total + us, 0);
  const percent = (us: number): number => (busyUs === 0 ? 0 : (100 * us) / busyUs);

  return {
    sampledMs: sampledUs / 1000,
    busyMs: busyUs / 1000,
    byOrigin: [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, us]) => ({ origin, selfMs: us / 1000, selfPercent: percent(us) })),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topCount)
      .map((entry) => ({
        name: entry.name,
        location: entry.location,
        selfMs: entry.us / 1000,
        selfPercent: percent(entry.us),
      })),
    workspaceInclusive: workspaceInclusive(profile, selfUs, topCount, percent),
  };
}

function workspaceInclusive(
  profile: CpuProfile,
  selfUs: Map<number, number>,
  topCount: number,
  percent: (us: number) => number,
): HotFunction[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const totals = new Map<string, { name: string; location: string; us: number }>();
  for (const [leaf, us] of selfUs) {
    if (nodes.get(leaf)?.callFrame.functionName === '(idle)') continue;
    const counted = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || !isWorkspace(frame.url)) continue;
      const location = locationOf(frame.url, frame.lineNumber);
      const key = `${frame.functionName}@${location}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const entry = totals.get(key) ?? {
        name: frame.functionName || '(anonymous)',
        location,
        us: 0,
      };
      entry.us += us;
      totals.set(key, entry);
    }
  }

  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topCount)
    .map((entry) => ({
      name: entry.name,
      location: entry.location,
      selfMs: entry.us / 1000,
      selfPercent: percent(entry.us),
    }));
}

function isWorkspace(url: string): boolean {
  return !url.includes('/node_modules/') && /\/(apps|libs)\//.test(url);
}

function chargeSamples(profile: CpuProfile): Map<number, number> {
  const selfUs = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const interval = profile.timeDeltas[index + 1] ?? 0;
    const nodeId = profile.samples[index];
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + interval);
  }

  return selfUs;
}

/** `pkg/file.js:line` inside node_modules, `node:…` for internals, else the workspace path. */
export function locationOf(url: string, lineNumber: number): string {
  const line = lineNumber >= 0 ? `:${lineNumber + 1}` : '';
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return `${url.slice(modules + '/node_modules/'.length)}${line}`;
  const workspace = /\/(dist\/)?(apps|libs)\//.exec(url);
  if (workspace) return `${url.slice(workspace.index + 1)}${line}`;

  return `${url.replace(/^file:\/\//, '')}${line}`;
}

/** What a frame belongs to: a package, Node itself, the garbage collector, or our code. */
export function originOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'program';
  if (url === '' || url.startsWith('node:')) return 'node';
  const modules = /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1];
  const workspace = /\/(apps|libs)\/([^/]+)\//.exec(url);

  return workspace ? `${workspace[1]}/${workspace[2]}` : 'other';
}
