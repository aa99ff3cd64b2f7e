import { BenchSettings, QUICK_SETTINGS } from './bench-settings';

/** `npm run bench -- --help`. */
export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures the mock provider (L0), a bare Node proxy (L2), the router (L4, with audit on and
off) and the Portkey gateway side by side, and writes bench-results/<stamp>.json and .md.

Options:
  --soak-minutes N    minutes of the RSS soak (default ${QUICK_SETTINGS.soakMinutes}; 10 for the full figure)
  --soak-rate N       requests per second during the soak (default ${QUICK_SETTINGS.soakRate})
  --rounds N          interleaved rounds per measurement (default ${QUICK_SETTINGS.rounds})
  --seconds N         seconds per target per round, latency and saturation (default ${QUICK_SETTINGS.throughputSeconds})
  --connections N     connections at saturation (default ${QUICK_SETTINGS.connections})
  --rate N            requests per second of the open-loop run (default ${QUICK_SETTINGS.openLoopRate})
  --streams N         streams held open at once (default ${QUICK_SETTINGS.heldStreams})
  --cold-keys N       provider keys probed cold (default ${QUICK_SETTINGS.coldKeys})
  --no-peer           skip the Portkey gateway
  --no-profile        skip the CPU profile of the gateway
  --out DIR           where results go (default ${QUICK_SETTINGS.outDir})
  -h, --help          this text
`;

/** Thrown for a command line the benchmark does not understand. */
export class BenchUsageException extends Error {
  constructor(message: string) {
    super(message);
    this.name = BenchUsageException.name;
  }
}

type NumericFlag = Exclude<
  { [K in keyof BenchSettings]: BenchSettings[K] extends number ? K : never }[keyof BenchSettings],
  undefined
>;

const NUMERIC_FLAGS: Record<string, NumericFlag[]> = {
  '--soak-minutes': ['soakMinutes'],
  '--soak-rate': ['soakRate'],
  '--rounds': ['rounds'],
  '--seconds': ['latencySeconds', 'throughputSeconds', 'openLoopSeconds'],
  '--connections': ['connections'],
  '--rate': ['openLoopRate'],
  '--streams': ['heldStreams'],
  '--cold-keys': ['coldKeys'],
};

/** The settings a command line asks for, or `'help'`. */
export function parseBenchArgs(argv: readonly string[]): BenchSettings | 'help' {
  const settings: BenchSettings = { ...QUICK_SETTINGS };
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2);
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--no-peer') settings.withPeer = false;
    else if (flag === '--no-profile') settings.profile = false;
    else if (flag === '--out') settings.outDir = inline ?? valueAfter(argv, index++, flag);
    else if (NUMERIC_FLAGS[flag]) {
      const value = positiveNumber(flag, inline ?? valueAfter(argv, index++, flag));
      for (const key of NUMERIC_FLAGS[flag]) settings[key] = value;
    } else throw new BenchUsageException(`Unknown option: ${argv[index]}`);
  }

  return settings;
}

function valueAfter(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new BenchUsageException(`${flag} needs a value`);
  }

  return value;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new BenchUsageException(`${flag} needs a positive number, not "${text}"`);
  }

  return value;
}
