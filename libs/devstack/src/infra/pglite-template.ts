import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import type { PGlite } from '@electric-sql/pglite';

/**
 * A copy of a freshly initialised PGlite data folder, kept to start new databases from.
 * Creating a database runs initdb inside WebAssembly, which takes seconds and a lot of memory;
 * unpacking this copy takes about a second, which matters when every test suite starts a stack.
 */
export class PgliteTemplate {
  private readonly file: string;

  /** @param cacheDir where templates are kept, one per PGlite version */
  constructor(cacheDir: string) {
    this.file = join(cacheDir, `pglite-${pgliteVersion()}.tgz`);
  }

  /** True when `dataDir` holds no database yet. */
  static isFresh(dataDir: string): boolean {
    return !existsSync(join(dataDir, 'PG_VERSION'));
  }

  /** The template, if one was saved for this PGlite version. */
  async load(): Promise<Blob | undefined> {
    const bytes = await readFile(this.file).catch(() => undefined);

    return bytes ? new Blob([bytes]) : undefined;
  }

  /** Saves `db`'s data folder as the template; written aside and renamed, so never half-seen. */
  async save(db: PGlite): Promise<void> {
    const dump = await db.dumpDataDir('gzip');
    await mkdir(dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, this.file);
  }
}

function pgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version?: string;
  };

  return manifest.version ?? 'unknown';
}
