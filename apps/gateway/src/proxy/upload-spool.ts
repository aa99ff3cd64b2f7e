import { WriteStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The file an upload spilled into, and the stream writing it. */
export interface SpoolFile {
  path: string;
  stream: WriteStream;
}

/**
 * Where one request's upload goes once it outgrows memory: a folder of its own under `root`,
 * made on first use and readable by this user only (`mkdtemp` makes it 0700), holding one file
 * (0600). {@link discard} removes the folder when the call ends, however it ends; a file asked
 * for after that is refused, so nothing made late is left behind.
 */
export class UploadSpool {
  private folder?: Promise<string>;
  private discarded = false;

  constructor(private readonly root: string) {}

  /** Makes the spool file; its stream writes from the first byte. */
  async create(): Promise<SpoolFile> {
    if (this.discarded || this.folder) throw new SpoolClosedError();
    this.folder = mkdtemp(join(this.root, 'xai-upload-'));
    const folder = await this.folder;
    // The call may have ended while the folder was being made: discard() removes it then.
    if (this.discarded) throw new SpoolClosedError();
    const path = join(folder, 'body');

    return { path, stream: createWriteStream(path, { flags: 'wx', mode: 0o600 }) };
  }

  /** Removes the folder and its file (an open read of it still finishes); idempotent. */
  discard(): Promise<void> {
    this.discarded = true;
    const folder = this.folder;
    this.folder = undefined;
    if (!folder) return Promise.resolve();

    return folder.then(
      (path) => rm(path, { recursive: true, force: true }),
      () => undefined,
    );
  }
}

/** The call ended before its upload was written out, or its spool file was gone when read. */
export class SpoolClosedError extends Error {
  constructor(options?: ErrorOptions) {
    super('the call ended before its upload was written out, or read back', options);
  }
}

/** Whether a call failed because its upload's spool went with it (undici may wrap the error). */
export function isSpoolClosed(error: unknown): boolean {
  return (
    error instanceof SpoolClosedError ||
    (error instanceof Error && error.cause instanceof SpoolClosedError)
  );
}
