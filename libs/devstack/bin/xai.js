#!/usr/bin/env node
/*
 * The entry point behind `npm start`, `npm test` and `npm run bench`.
 *
 * Plain CommonJS with no dependencies on purpose: it has to run on a fresh clone, before
 * `node_modules/` exists, so it can install the locked dependencies itself, build the
 * workspace, and only then hand over to the compiled TypeScript launcher (or to jest).
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { constants } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..', '..');
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const USAGE = `Usage: node libs/devstack/bin/xai.js <command> [args]

Commands:
  start [--port N] [--logs]   install, build, then run every service locally (Ctrl-C stops)
  test [jest args]            install, build, then run every test with jest; uses
                              DATABASE_URL / REDIS_URL when set, else embedded PGlite
                              databases and a redis-server started for the run
  bench [args]                install, build, then run the benchmark
`;

/** Runs a command to completion with inherited stdio; exits with its code when it fails. */
function runOrExit(command, args, what) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.error) fail(`${what} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${what} failed (exit code ${result.status ?? result.signal})`);
}

function fail(message) {
  process.stderr.write(`xai: ${message}\n`);
  process.exit(1);
}

/** `npm ci` when node_modules is missing or older than the lock file. */
function ensureDependencies() {
  const lockFile = join(ROOT, 'package-lock.json');
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const upToDate =
    existsSync(installed) && statSync(installed).mtimeMs >= statSync(lockFile).mtimeMs;
  if (upToDate) return;

  process.stderr.write('xai: installing dependencies from package-lock.json (npm ci)\n');
  runOrExit(npmCommand(), ['ci', '--no-audit', '--no-fund'], 'npm ci');
}

/** TypeScript → dist/; incremental, so a second run with no change takes a few seconds. */
function build() {
  process.stderr.write('xai: building (npm run build)\n');
  runOrExit(npmCommand(), ['run', '--silent', 'build'], 'npm run build');
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/**
 * Runs a long-lived child with inherited stdio and mirrors its exit. Signals sent to this
 * wrapper are passed on; the child may also get Ctrl-C straight from the terminal, so it must
 * (and the launcher does) treat a repeated signal within a moment as one.
 */
function handOver(command, args) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => fail(`${command} could not start: ${error.message}`));
  child.on('exit', (code, signal) => {
    // A child ended by a signal exits the shell way: 128 + the signal's number.
    process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
  });
}

function jestArgs(extra) {
  const chosesWorkers = extra.some((arg) => /^(-i|--runInBand|-w|--maxWorkers(=.*)?)$/.test(arg));

  // Two workers: the end-to-end suites each start a whole stack of processes, so more
  // parallelism mostly adds contention on small machines.
  return chosesWorkers ? extra : ['--maxWorkers=2', ...extra];
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!['start', 'test', 'bench'].includes(command)) {
    process.stderr.write(USAGE);
    process.exit(2);
  }

  ensureDependencies();
  build();

  if (command === 'start') {
    handOver(process.execPath, [join(ROOT, 'dist/libs/devstack/src/cli.js'), 'start', ...rest]);

    return;
  }
  if (command === 'test') {
    handOver(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), ...jestArgs(rest)]);

    return;
  }
  const bench = join(ROOT, 'dist/libs/devstack/src/bench/cli.js');
  if (!existsSync(bench)) {
    fail('the benchmark is not built yet (libs/devstack/src/bench/cli.ts does not exist).');
  }
  handOver(process.execPath, [bench, ...rest]);
}

main(process.argv.slice(2));
