import type { ProfileFigure } from '../scenarios/profile';
import { LARGE_PROMPT_KIB } from '../targets/bench-models';
import type { BenchResults, TargetCheck } from './bench-results';
import { round } from './stats';

const COLUMNS = ['L0', 'L2', 'L4', 'L4-audit-off', 'portkey'];
const HEADINGS: Record<string, string> = {
  L0: 'L0 mock',
  L2: 'L2 bare proxy',
  L4: 'L4 router',
  'L4-audit-off': 'L4 audit off',
  portkey: 'Portkey',
};

/** The run as Markdown: the machine, a figure table per target, and the targets' verdicts. */
export function toMarkdown(results: BenchResults): string {
  const { machine, settings } = results;
  const load = `load average ${round(machine.loadAverageAtStart)} → ${round(machine.loadAverageAtEnd ?? Number.NaN)}`;
  const lines = [
    `Run ${results.startedAt} — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGib} GiB, ` +
      `Node ${machine.node}, commit ${machine.commit}${machine.dirty ? ' (uncommitted changes)' : ''}, ${load}`,
    '',
    ...figureTable(results),
    '',
    `Concurrency 1: ${settings.rounds} × ${settings.latencySeconds} s per target; open loop: ` +
      `${settings.openLoopRate} req/s against a ${settings.upstreamDelayMs} ms mock; saturation: ` +
      `${settings.connections} connections, ${settings.rounds} × ${settings.throughputSeconds} s; streams: ` +
      `${settings.chunkDelayMs} ms between chunks, ${settings.rounds} × ${settings.streamsPerRound} per target.`,
    '',
    '| Target | Limit | Measured | Result |',
    '|---|---|---|---|',
    ...results.checks.map(checkRow),
  ];
  if (results.notes.length > 0) lines.push('', ...results.notes.map((note) => `- ${note}`));
  if (results.profile) lines.push('', ...profileSection(results.profile));

  return `${lines.join('\n')}\n`;
}

const PROFILE_ROWS = 12;

/** Where the gateway's CPU time went at saturation: packages, functions, and our own steps. */
function profileSection(profile: ProfileFigure): string[] {
  const { summary } = profile;
  const share = (entry: { selfMs: number; selfPercent: number }): string =>
    `${round(entry.selfPercent)} % (${round(entry.selfMs)} ms)`;

  return [
    `Gateway CPU profile: ${profile.seconds} s at ${profile.connections} connections ` +
      `(${round(profile.rps)} req/s), ${round(summary.busyMs)} ms busy. By origin: ` +
      summary.byOrigin
        .slice(0, 8)
        .map((entry) => `${entry.origin} ${round(entry.selfPercent)} %`)
        .join(', ') +
      '.',
    '',
    '| Self time | Function | Where |',
    '|---|---|---|',
    ...summary.top
      .slice(0, PROFILE_ROWS)
      .map((entry) => `| ${share(entry)} | \`${entry.name}\` | ${entry.location} |`),
    '',
    '| Inclusive time | Our function | Where |',
    '|---|---|---|',
    ...summary.workspaceInclusive
      .slice(0, PROFILE_ROWS)
      .map((entry) => `| ${share(entry)} | \`${entry.name}\` | ${entry.location} |`),
  ];
}

function figureTable(results: BenchResults): string[] {
  const present = COLUMNS.filter((name) => results.targets.includes(name));
  const row = (label: string, cell: (name: string) => string): string =>
    `| ${label} | ${present.map(cell).join(' | ')} |`;
  const num = (value: number | undefined): string =>
    value === undefined || !Number.isFinite(value) ? '–' : String(round(value));
  const rate = results.settings.openLoopRate;

  return [
    `| | ${present.map((name) => HEADINGS[name]).join(' | ')} |`,
    `|---|${present.map(() => '---').join('|')}|`,
    row('c=1 p50 / p99 (ms)', (name) => pair(results.latencyC1[name]?.latencyMs, num)),
    row('c=1 CPU per request (µs)', (name) => num(results.latencyC1[name]?.cpuUsPerRequest)),
    row('sparse, 300 ms apart, p50 / p99 (ms)', (name) =>
      pair(results.sparse[name]?.latencyMs, num),
    ),
    row(`open loop ${rate}/s p50 / p99 (ms)`, (name) =>
      pair(results.openLoop[name]?.latencyMs, num),
    ),
    row('saturation (req/s)', (name) => num(results.throughput[name]?.rps)),
    row('CPU per request at saturation (µs)', (name) =>
      num(results.throughput[name]?.cpuUsPerRequest),
    ),
    row('stream TTFT p50 (ms)', (name) => num(results.streaming[name]?.ttftMs.p50)),
    row('stream gap p50 / p99 (ms)', (name) => pair(results.streaming[name]?.gapMs, num)),
    row('events / arrivals per stream', (name) => {
      const figure = results.streaming[name];

      return figure ? `${num(figure.eventsPerStream)} / ${num(figure.arrivalsPerStream)}` : '–';
    }),
    row('stream errors', (name) => num(results.streaming[name]?.errors)),
    row(`RSS per held stream (KiB)`, (name) => num(results.heldStreams[name]?.kibPerStream)),
    row(`RSS per held stream, ${LARGE_PROMPT_KIB} KiB prompt (KiB)`, (name) =>
      num(results.heldStreamsLargePrompt?.[name]?.kibPerStream),
    ),
  ];
}

function pair(
  figure: { p50: number; p99: number } | undefined,
  num: (value: number | undefined) => string,
): string {
  return figure ? `${num(figure.p50)} / ${num(figure.p99)}` : '–';
}

function checkRow(check: TargetCheck): string {
  const result =
    check.pass === null
      ? check.notJudged
        ? `not judged: ${check.notJudged}`
        : 'not measured'
      : check.pass
        ? 'pass'
        : `**miss** by ${check.missedBy ?? '?'}`;

  return `| ${check.target} | ${check.limit} | ${check.measured} | ${result} |`;
}
