import type { Usage } from '@xai/events';

import type { CallerProtocol } from '../protocols/api-protocol';
import { SseEvent, SseLineTooLongException, SseParser, SseParserOptions } from '../sse/sse-parser';
import { anthropicErrorBody, openAiErrorBody } from './error-shapes';
import { encodeAnthropicStreamEvent, encodeOpenAiStreamItem } from './stream-items';
import { MalformedUpstreamResponseException } from './translation.exception';

/** A stream transformer of any direction, with its output already encoded as SSE text. */
export interface EncodedStreamTransformer {
  push(event: SseEvent): string;
  end(): string;
  readonly usage: Usage | null;
  readonly settled: boolean;
  /**
   * The caller's error event for a failure outside the transformer (an unreadable event);
   * without it, an OpenAI chat or Anthropic error event is written.
   */
  failure?(message: string): string;
}

/** A typed stream transformer, as the translators in this folder are. */
export interface StreamTransformer<Item> {
  push(event: SseEvent): Item[];
  end(): Item[];
  readonly usage: Usage | null;
  readonly settled: boolean;
}

/** Wraps a typed transformer so it yields SSE text, encoding each item with `encode`. */
export function encodedTransformer<Item>(
  transformer: StreamTransformer<Item>,
  encode: (item: Item) => string,
): EncodedStreamTransformer {
  return {
    push: (event) => transformer.push(event).map(encode).join(''),
    end: () => transformer.end().map(encode).join(''),
    get usage() {
      return transformer.usage;
    },
    get settled() {
      return transformer.settled;
    },
  };
}

/**
 * Translates a provider's SSE body into the caller's SSE body as bytes arrive: feed each
 * network read to {@link push} and write what it returns to the client at once; call
 * {@link end} when the upstream body ends. Nothing is buffered beyond an unfinished event.
 *
 * A provider that sends something unreadable (not its protocol's events, an over-long line)
 * ends the caller's stream with an error event in the caller's protocol instead of throwing,
 * so the gateway never leaves a client hanging. {@link usage} holds the provider's figures for
 * metering, whether or not the caller asked to see them.
 */
export class ChatStreamTranslator {
  private readonly parser: SseParser;
  private failed = false;

  constructor(
    private readonly caller: CallerProtocol,
    private readonly transformer: EncodedStreamTransformer,
    parserOptions: SseParserOptions = {},
  ) {
    this.parser = new SseParser(parserOptions);
  }

  /** Token usage the provider reported, normalised to OpenAI's meaning; null before any. */
  get usage(): Usage | null {
    return this.transformer.usage;
  }

  /** True once the caller's stream is complete (properly or with an error event). */
  get settled(): boolean {
    return this.failed || this.transformer.settled;
  }

  /** Translates one network read of the provider's body; returns SSE text for the caller. */
  push(bytes: Uint8Array): string {
    if (this.settled) return '';
    let events: SseEvent[];
    try {
      events = this.parser.push(bytes);
    } catch (error) {
      return this.failWith(error);
    }

    return this.translate(events);
  }

  /** Ends the stream; returns the last SSE text for the caller (an error if it ended early). */
  end(): string {
    if (this.settled) return '';
    const out = this.translate(this.parser.end());
    if (this.settled) return out;
    try {
      return out + this.transformer.end();
    } catch (error) {
      return out + this.failWith(error);
    }
  }

  private translate(events: SseEvent[]): string {
    let out = '';
    for (const event of events) {
      if (this.settled) break;
      try {
        out += this.transformer.push(event);
      } catch (error) {
        return out + this.failWith(error);
      }
    }

    return out;
  }

  /** Ends the caller's stream with an error event for what the provider sent; rethrows bugs. */
  private failWith(error: unknown): string {
    const unreadable =
      error instanceof MalformedUpstreamResponseException ||
      error instanceof SseLineTooLongException;
    if (!unreadable) throw error;
    this.failed = true;

    return this.errorEvent(error.message);
  }

  private errorEvent(message: string): string {
    if (this.transformer.failure) return this.transformer.failure(message);
    if (this.caller === 'anthropic') {
      return encodeAnthropicStreamEvent(anthropicErrorBody('api_error', message));
    }

    return encodeOpenAiStreamItem({
      kind: 'error',
      error: openAiErrorBody(message, 'server_error'),
    });
  }
}
