import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { AppLogger, initLogging, rootLogger } from '@xai/common';

import { loadDevstackConfig } from '../devstack.config';
import { killAllChildren } from '../process/child-registry';
import { findWorkspaceRoot } from '../stack/workspace';
import { BENCH_USAGE, BenchUsageException, parseBenchArgs } from './bench-args';
import { runBench } from './bench-run';
import { BenchSettings } from './bench-settings';
import { toMarkdown } from './report/markdown';

/**
 * `npm run bench`: the side-by-side benchmark of issue #7. Progress is logged as JSON lines;
 * the Markdown summary is written to the terminal with `process.stdout.write` on purpose (it is
 * meant for a person), and both the JSON and the Markdown go to `bench-results/`.
 */
async function main(argv: string[]): Promise<void> {
  const settings = parseOrExit(argv);
  const config = loadDevstackConfig();
  initLogging('bench', config.LOG_LEVEL);
  const logger = new AppLogger('BenchCli');
  const rootDir = findWorkspaceRoot(__dirname);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.warn('stopping the benchmark', { signal });
      abort.abort();
    });
  }

  const results = await runBench(settings, {
    rootDir,
    fromSource: config.XAI_FROM_SOURCE,
    stamp,
    signal: abort.signal,
  });
  const outDir = join(rootDir, settings.outDir);
  await mkdir(outDir, { recursive: true });
  const markdown = toMarkdown(results);
  await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(outDir, `${stamp}.md`), markdown);
  process.stdout.write(`\n${markdown}\nResults: ${join(settings.outDir, `${stamp}.json`)}\n`);
}

function parseOrExit(argv: string[]): BenchSettings {
  try {
    const parsed = parseBenchArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(BENCH_USAGE);
      process.exit(0);
    }

    return parsed;
  } catch (error) {
    if (!(error instanceof BenchUsageException)) throw error;
    process.stderr.write(`${error.message}\n\n${BENCH_USAGE}`);
    process.exit(2);
  }
}

main(process.argv.slice(2)).then(
  () => rootLogger().flush(() => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(
      `\nthe benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    killAllChildren();
    rootLogger().flush(() => process.exit(1));
  },
);
