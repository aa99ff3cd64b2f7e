import { ownScriptCommand } from '../../stack/workspace';

/**
 * The `-r` arguments that load one of the benchmark's preload scripts (a sibling of this file)
 * before a process's main module: the compiled script, or the TypeScript one through SWC.
 */
export function preloadArgs(baseName: string): string[] {
  const script = ownScriptCommand(__dirname, baseName);
  const file = script.args[script.args.length - 1];
  const register = script.args.length > 1 ? ['-r', script.args[1]] : [];

  return [...register, '-r', file];
}
