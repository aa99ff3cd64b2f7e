import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { AppLogger } from '@xai/common';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { SpoolClosedError, SpoolFile, UploadSpool } from './upload-spool';

/** Where an upload's bytes are kept: the chunks as they came, or a spool file. */
export type UploadBytes = { kind: 'memory'; chunks: Buffer[] } | { kind: 'file'; path: string };

/** How an upload is read. */
export interface UploadOptions {
  /** Largest body; past it the upload is refused with a 413 at once. */
  limit: number;
  /** Largest upload kept in memory; a larger one is written to `spool`. */
  memoryBytes: number;
  spool: UploadSpool;
}

/**
 * Reads a request body as it arrives, handing each chunk to `onChunk`, and keeps it so that it
 * can be sent more than once: in memory up to `memoryBytes`, else whole in a spool file. While
 * the file is made or catches up, the request is paused, so only a few chunks are ever held.
 * On any failure (too large, the client gone, a disk error) the spool is discarded.
 */
export class UploadReader {
  private readonly logger = new AppLogger(UploadReader.name);
  private chunks: Buffer[] = [];
  private size = 0;
  private file?: SpoolFile;
  private spilling?: Promise<void>;
  private waitingForDisk = false;
  private ended = false;
  private settled = false;
  private reject: (error: unknown) => void = () => undefined;

  constructor(
    private readonly payload: Readable,
    private readonly onChunk: (chunk: Buffer) => void,
    private readonly options: UploadOptions,
  ) {}

  /** The whole body, once it has arrived (and, when spilled, is on disk). */
  read(): Promise<{ bytes: UploadBytes; size: number }> {
    return new Promise((resolve, reject) => {
      this.reject = reject;
      this.payload.on('data', (chunk: Buffer) => this.take(chunk));
      this.payload.once('error', (error) => this.fail(error));
      // A client that leaves mid-upload closes the request without ending it.
      this.payload.once('close', () => {
        if (!this.ended) this.fail(new SpoolClosedError());
      });
      this.payload.once('end', () => {
        this.ended = true;
        this.finish().then(resolve, (error: unknown) => this.fail(error));
      });
    });
  }

  private take(chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.options.limit) {
      this.fail(tooLarge());
      // Read out the rest, so that the 413 can be answered on this connection.
      this.payload.resume();

      return;
    }
    this.onChunk(chunk);
    if (this.file) {
      this.write(chunk);

      return;
    }
    this.chunks.push(chunk);
    if (this.size > this.options.memoryBytes) this.spilling ??= this.spill();
  }

  /** Moves what memory holds to a new spool file; the body goes on there. */
  private async spill(): Promise<void> {
    this.payload.pause();
    try {
      const file = await this.options.spool.create();
      file.stream.on('error', (error) => {
        // Once the call is over (the client left), the file is destroyed and its writes fail:
        // that is the end of the upload, not trouble with the disk.
        if (!this.settled) this.fail(this.storageFailed(error));
      });
      this.file = file;
      const held = this.chunks;
      this.chunks = [];
      for (const chunk of held) this.write(chunk);
      if (!this.waitingForDisk && !this.settled) this.payload.resume();
    } catch (error) {
      if (this.settled) return;
      this.fail(error instanceof SpoolClosedError ? error : this.storageFailed(error));
    }
  }

  private write(chunk: Buffer): void {
    const file = this.file;
    if (!file || file.stream.write(chunk) || this.waitingForDisk) return;
    this.waitingForDisk = true;
    this.payload.pause();
    file.stream.once('drain', () => {
      this.waitingForDisk = false;
      if (!this.settled) this.payload.resume();
    });
  }

  private async finish(): Promise<{ bytes: UploadBytes; size: number }> {
    // The request may end while the spool file is still being made.
    await this.spilling;
    if (this.file && !this.settled) {
      this.file.stream.end();
      await finished(this.file.stream);
    }
    if (this.settled) throw new SpoolClosedError();
    this.settled = true;
    const bytes: UploadBytes = this.file
      ? { kind: 'file', path: this.file.path }
      : { kind: 'memory', chunks: this.chunks };

    return { bytes, size: this.size };
  }

  /** A disk that refuses the upload (full, unwritable) is the router's trouble, not the caller's. */
  private storageFailed(error: unknown): GatewayException {
    this.logger.warn('an upload could not be written to its spool file', {
      error: error instanceof Error ? error.message : String(error),
    });

    return new GatewayException(
      GatewayErrorCode.DependencyUnavailable,
      'The router has no room to keep this upload right now; try again shortly.',
      { cause: error },
    );
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.payload.removeAllListeners('data');
    this.chunks = [];
    this.file?.stream.destroy();
    void this.options.spool.discard();
    this.reject(error);
  }
}

function tooLarge(): GatewayException {
  return new GatewayException(GatewayErrorCode.BodyTooLarge, 'The request body is too large.');
}
