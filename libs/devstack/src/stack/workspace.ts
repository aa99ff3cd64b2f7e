import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Thrown when the compiled services are missing. */
export class NotBuiltException extends Error {
  constructor(missing: string) {
    super(
      `${missing} does not exist: the services have not been compiled. Run \`npm run build\` ` +
        '(or `npm test`, which builds first), or set XAI_FROM_SOURCE=1 to run from sources.',
    );
    this.name = NotBuiltException.name;
  }
}

/** A command line to spawn. */
export interface CommandLine {
  command: string;
  args: string[];
}

/**
 * The workspace root: the nearest folder above `from` holding both `package.json` and
 * `nx.json`. Works from the sources (libs/devstack/src) and from dist/ alike.
 */
export function findWorkspaceRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'nx.json'))) return dir;

    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No workspace (package.json + nx.json) above ${from}`);
    dir = parent;
  }
}

/**
 * How to run an app: `node dist/apps/<app>/src/main.js`, or from its TypeScript sources
 * through SWC when `fromSource` is set (slower to start, no build needed).
 */
export function appCommand(rootDir: string, app: string, fromSource: boolean): CommandLine {
  if (fromSource) {
    return {
      command: process.execPath,
      args: ['-r', '@swc-node/register', join(rootDir, 'apps', app, 'src', 'main.ts')],
    };
  }
  const main = join(rootDir, 'dist', 'apps', app, 'src', 'main.js');

  return { command: process.execPath, args: [main] };
}

/** Fails with {@link NotBuiltException} unless every compiled entry point exists. */
export function assertBuilt(commands: CommandLine[]): void {
  for (const { args } of commands) {
    const entry = args[args.length - 1];
    if (entry.endsWith('.js') && !existsSync(entry)) throw new NotBuiltException(entry);
  }
}

/**
 * How to run one of this library's own helper scripts (e.g. the PGlite server): compiled when
 * a compiled copy exists (the sibling when this code runs from dist/, else the copy in the
 * workspace's dist/, as under jest, which runs the sources), from TypeScript through SWC
 * otherwise, which starts about a second slower.
 */
export function ownScriptCommand(dir: string, baseName: string): CommandLine {
  const root = findWorkspaceRoot(dir);
  const candidates = [
    join(dir, `${baseName}.js`),
    join(root, 'dist', relative(root, dir), `${baseName}.js`),
  ];
  const compiled = candidates.find((candidate) => existsSync(candidate));
  if (compiled) return { command: process.execPath, args: [compiled] };

  return {
    command: process.execPath,
    args: ['-r', require.resolve('@swc-node/register'), join(dir, `${baseName}.ts`)],
  };
}
