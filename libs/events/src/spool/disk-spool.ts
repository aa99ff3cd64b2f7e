import { FileHandle, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { AppLogger } from '@xai/common';

import type { StreamLogger } from '../stream-logger';
import { acquireSpoolLock } from './spool-lock';
import { decodeSpoolLine, encodeSpoolLine } from './spool-record';

/** Where a {@link DiskSpool} keeps its files and how much it may hold. */
export interface DiskSpoolOptions {
  /** A folder of this process's own (a lock file refuses a second process). */
  dir: string;
  /** The most bytes all segments together may hold; appends past it are refused. */
  maxBytes: number;
  /** A segment is closed and a new one started once it holds this many bytes (default 8 MiB). */
  segmentBytes?: number;
  /** Defaults to an `AppLogger` named after this class. */
  logger?: StreamLogger;
}

interface Segment {
  seq: number;
  bytes: number;
}

const SEGMENT_NAME = /^spool-(\d{16})\.log$/;

/**
 * A bounded, append-only spool on local disk, for events that cannot be published right now.
 *
 * Events are appended to numbered segment files, one checksummed line each; every append is
 * written and `fdatasync`ed before it resolves, so what an append accepted survives a crash of
 * the process or the machine. Appends that would take the spool past `maxBytes` are refused
 * (resolve false) and nothing of them is written. {@link drain} replays the segments oldest
 * first and deletes each once all its events were handed over; a crash part-way replays that
 * segment again, so consumers must be idempotent (audit events are, by event id).
 */
export class DiskSpool {
  private readonly logger: StreamLogger;
  private readonly segmentBytes: number;
  private sealed: Segment[] = [];
  private active?: Segment & { handle: FileHandle };
  private nextSeq = 1;
  private total = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private release?: () => Promise<void>;

  constructor(private readonly options: DiskSpoolOptions) {
    this.logger = options.logger ?? new AppLogger(DiskSpool.name);
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
  }

  /** Creates the folder, takes its lock and finds the segments a previous run left. */
  async open(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    this.release = await acquireSpoolLock(this.options.dir);
    const names = (await readdir(this.options.dir)).filter((name) => SEGMENT_NAME.test(name));
    for (const name of names.sort()) {
      const seq = Number(SEGMENT_NAME.exec(name)?.[1]);
      const { size } = await stat(join(this.options.dir, name));
      this.sealed.push({ seq, bytes: size });
      this.total += size;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
    }
    if (this.total > 0) {
      this.logger.info('spool holds events from a previous run', {
        dir: this.options.dir,
        bytes: this.total,
        segments: this.sealed.length,
      });
    }
  }

  /** Bytes held on disk. */
  get bytes(): number {
    return this.total;
  }

  /** The bound given at construction. */
  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Whether anything waits to be replayed. */
  hasData(): boolean {
    return this.total > 0;
  }

  /** Whether `bytes` more would still fit. */
  hasRoomFor(bytes: number): boolean {
    return this.total + bytes <= this.options.maxBytes;
  }

  /**
   * Appends payloads (one line each) durably, all or none. Resolves false, writing nothing,
   * when they would not fit under the bound.
   */
  append(payloads: string[]): Promise<boolean> {
    return this.serialised(async () => {
      const data = Buffer.from(payloads.map(encodeSpoolLine).join(''), 'utf8');
      if (!this.hasRoomFor(data.length)) return false;

      const segment = await this.activeSegment();
      await segment.handle.write(data);
      await segment.handle.datasync();
      segment.bytes += data.length;
      this.total += data.length;
      if (segment.bytes >= this.segmentBytes) await this.seal();

      return true;
    });
  }

  /**
   * Replays what the spool held when called, oldest first, in batches of up to `batchSize`
   * payloads; each segment is deleted once `send` resolved for all of it. A rejection of
   * `send` stops the replay and keeps the segment. Resolves to the number of payloads sent.
   */
  async drain(send: (payloads: string[]) => Promise<void>, batchSize = 500): Promise<number> {
    await this.serialised(() => this.seal());
    let sent = 0;
    for (const segment of [...this.sealed]) {
      sent += await this.replaySegment(segment, send, batchSize);
      await unlink(this.segmentPath(segment.seq));
      this.sealed = this.sealed.filter((kept) => kept !== segment);
      this.total -= segment.bytes;
    }

    return sent;
  }

  /** Closes the open segment and releases the folder. */
  async close(): Promise<void> {
    await this.serialised(() => this.seal());
    await this.release?.();
    this.release = undefined;
  }

  private async replaySegment(
    segment: Segment,
    send: (payloads: string[]) => Promise<void>,
    batchSize: number,
  ): Promise<number> {
    const lines = (await readFile(this.segmentPath(segment.seq), 'utf8')).split('\n');
    const payloads: string[] = [];
    let damaged = 0;
    for (const line of lines) {
      if (line === '') continue;
      const payload = decodeSpoolLine(line);
      if (payload === undefined) damaged += 1;
      else payloads.push(payload);
    }
    if (damaged > 0) {
      this.logger.error('damaged spool lines skipped', { segment: segment.seq, damaged });
    }
    for (let start = 0; start < payloads.length; start += batchSize) {
      await send(payloads.slice(start, start + batchSize));
    }

    return payloads.length;
  }

  private async activeSegment(): Promise<Segment & { handle: FileHandle }> {
    if (this.active) return this.active;

    const seq = this.nextSeq++;
    const handle = await open(this.segmentPath(seq), 'a');
    this.active = { seq, bytes: 0, handle };

    return this.active;
  }

  private async seal(): Promise<void> {
    const active = this.active;
    if (!active) return;

    this.active = undefined;
    await active.handle.close();
    if (active.bytes > 0) this.sealed.push({ seq: active.seq, bytes: active.bytes });
    else await unlink(this.segmentPath(active.seq)).catch(() => undefined);
  }

  private segmentPath(seq: number): string {
    return join(this.options.dir, `spool-${String(seq).padStart(16, '0')}.log`);
  }

  // Appends and seals run one at a time, so a segment is never written while it is sealed.
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);

    return run;
  }
}
