import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  appCommand,
  assertBuilt,
  findWorkspaceRoot,
  NotBuiltException,
  ownScriptCommand,
} from './workspace';

describe('workspace', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'xai-workspace-'));
    await writeFile(join(root, 'package.json'), '{}');
    await writeFile(join(root, 'nx.json'), '{}');
    await mkdir(join(root, 'libs', 'devstack', 'src', 'infra'), { recursive: true });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the workspace root above a nested folder', () => {
    expect(findWorkspaceRoot(join(root, 'libs', 'devstack', 'src', 'infra'))).toBe(root);
  });

  it('runs an app from dist/ unless asked to run it from sources', () => {
    expect(appCommand(root, 'config', false).args).toEqual([
      join(root, 'dist/apps/config/src/main.js'),
    ]);
    expect(appCommand(root, 'config', true).args).toEqual([
      '-r',
      '@swc-node/register',
      join(root, 'apps/config/src/main.ts'),
    ]);
  });

  it('says to build when a compiled app is missing', () => {
    const commands = [appCommand(root, 'gateway', false)];

    expect(() => assertBuilt(commands)).toThrow(NotBuiltException);
    expect(() => assertBuilt(commands)).toThrow(/npm run build/);
  });

  it('prefers a compiled helper script in dist/ over the TypeScript source', async () => {
    const sourceDir = join(root, 'libs', 'devstack', 'src', 'infra');
    const compiledDir = join(root, 'dist', 'libs', 'devstack', 'src', 'infra');
    await mkdir(compiledDir, { recursive: true });
    await writeFile(join(compiledDir, 'helper.main.js'), '');

    const withDist = ownScriptCommand(sourceDir, 'helper.main');
    const withoutDist = ownScriptCommand(sourceDir, 'other.main');

    expect(withDist.args).toEqual([join(compiledDir, 'helper.main.js')]);
    expect(withoutDist.args.at(-1)).toBe(join(sourceDir, 'other.main.ts'));
    expect(withoutDist.args[0]).toBe('-r');
  });
});
