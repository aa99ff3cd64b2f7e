import { DomainException } from '@xai/common';

import { ProvidersErrorCode } from '../providers-error-code';

/** One dispatched server-sent event. */
export interface SseEvent {
  /** The `event:` field of the event, `'message'` when it had none. */
  event: string;
  /** The `data:` lines of the event joined by `'\n'`. */
  data: string;
  /**
   * The stream's last event id when the event was dispatched. As the specification says, an
   * `id:` field sticks to later events until another `id:` replaces it; an empty one clears it.
   */
  id?: string;
  /** A valid `retry:` value (milliseconds) received since the previous dispatched event. */
  retry?: number;
}

/** How an {@link SseParser} treats hostile or sloppy streams. */
export interface SseParserOptions {
  /** Longest line accepted, in UTF-16 code units; 1 MiB by default. */
  maxLineLength?: number;
  /**
   * Dispatch an event whose closing blank line never came when the stream ends. The
   * specification discards it (the default); some OpenAI-compatible servers forget the blank
   * line after their last event.
   */
  dispatchIncompleteEvent?: boolean;
}

/** Thrown when a line grows past the parser's cap, so a stream cannot exhaust memory. */
export class SseLineTooLongException extends DomainException<ProvidersErrorCode.SseLineTooLong> {
  constructor(readonly maxLineLength: number) {
    super(ProvidersErrorCode.SseLineTooLong, `An SSE line exceeded ${maxLineLength} characters`);
  }
}

const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DIGITS_ONLY = /^[0-9]+$/;

/**
 * An incremental parser for `text/event-stream` bodies, following the WHATWG HTML
 * "server-sent events" interpretation rules. Feed it raw network reads with {@link push} and
 * call {@link end} once when the body ends; each call returns the events completed by it.
 *
 * Bytes are decoded as streaming UTF-8 (a character split across reads survives; a leading BOM
 * is dropped), lines may end in CRLF, LF or CR (also when CR and LF arrive in different reads),
 * comment lines are skipped, and a blank line dispatches the event being built. An instance
 * parses one stream and is unusable after it throws.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly lineBreak = /[\r\n]/g;
  private readonly maxLineLength: number;
  private readonly dispatchIncompleteEvent: boolean;
  private partialLine = '';
  private lastReadEndedWithCr = false;
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastEventId = '';
  private retry: number | undefined;
  private completed: SseEvent[] = [];

  constructor(options: SseParserOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.dispatchIncompleteEvent = options.dispatchIncompleteEvent ?? false;
  }

  /**
   * Parses one network read.
   *
   * @returns the events completed by this read, in stream order.
   * @throws SseLineTooLongException when a line outgrows `maxLineLength`.
   */
  push(chunk: Uint8Array): SseEvent[] {
    this.feed(this.decoder.decode(chunk, { stream: true }));

    return this.takeCompleted();
  }

  /**
   * Ends the stream: flushes the decoder (an unfinished character becomes U+FFFD) and discards
   * the event being built, or dispatches it when `dispatchIncompleteEvent` is set.
   *
   * @returns the events completed at the end of the stream.
   */
  end(): SseEvent[] {
    this.feed(this.decoder.decode());
    if (this.dispatchIncompleteEvent) {
      if (this.partialLine !== '') this.processLine(this.partialLine);
      this.dispatch();
    }
    this.partialLine = '';
    this.resetEvent();

    return this.takeCompleted();
  }

  private feed(text: string): void {
    // An empty decode (half a character) says nothing about a pending CR, so keep the flag.
    if (text === '') return;
    let start = 0;
    if (this.lastReadEndedWithCr) {
      this.lastReadEndedWithCr = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    this.lineBreak.lastIndex = start;
    for (let match = this.lineBreak.exec(text); match; match = this.lineBreak.exec(text)) {
      start = this.completeLine(text, start, match.index);
      this.lineBreak.lastIndex = start;
    }
    this.keepPartialLine(text.slice(start));
  }

  /** Handles the line ending at `end`; returns where the next line starts. */
  private completeLine(text: string, start: number, end: number): number {
    const line = this.partialLine + text.slice(start, end);
    this.partialLine = '';
    this.assertLineLength(line.length);
    this.processLine(line);
    if (text.charCodeAt(end) !== CR) return end + 1;
    if (end + 1 === text.length) {
      this.lastReadEndedWithCr = true;

      return end + 1;
    }

    return text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  }

  private keepPartialLine(rest: string): void {
    if (rest === '') return;
    this.assertLineLength(this.partialLine.length + rest.length);
    this.partialLine += rest;
  }

  private assertLineLength(length: number): void {
    if (length > this.maxLineLength) throw new SseLineTooLongException(this.maxLineLength);
  }

  private processLine(line: string): void {
    if (line === '') {
      this.dispatch();

      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(':');
    if (colon === -1) {
      this.processField(line, '');

      return;
    }
    const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
    this.processField(line.slice(0, colon), line.slice(valueStart));
  }

  private processField(field: string, value: string): void {
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (DIGITS_ONLY.test(value)) this.retry = Number(value);
        break;
      default:
        // The specification ignores unknown fields.
        break;
    }
  }

  private dispatch(): void {
    if (!this.hasData) {
      this.resetEvent();

      return;
    }
    const event: SseEvent = { event: this.eventType || 'message', data: this.data };
    if (this.lastEventId !== '') event.id = this.lastEventId;
    if (this.retry !== undefined) event.retry = this.retry;
    this.completed.push(event);
    this.retry = undefined;
    this.resetEvent();
  }

  private resetEvent(): void {
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }

  private takeCompleted(): SseEvent[] {
    if (this.completed.length === 0) return [];
    const events = this.completed;
    this.completed = [];

    return events;
  }
}
