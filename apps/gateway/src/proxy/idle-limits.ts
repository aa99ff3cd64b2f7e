import { GatewayConfig } from '../gateway.config';

/** A body that can be told to stop (undici's response body is one). */
export interface DestroyableBody extends AsyncIterable<unknown> {
  destroy(error?: Error): unknown;
}

/** How long an answer's body may stay silent, in ms (0: no limit). */
export interface IdleLimits {
  /** Before the first chunk: a model may think for a long time before its first token. */
  firstMs: number;
  /** Between two chunks, once the answer has started. */
  idleMs: number;
}

/** The gateway's configured limits on a provider's silence. */
export function idleLimitsOf(config: GatewayConfig): IdleLimits {
  return {
    firstMs: config.XAI_UPSTREAM_HEADERS_TIMEOUT_MS,
    idleMs: config.XAI_UPSTREAM_BODY_TIMEOUT_MS,
  };
}

/** Raised (as the body's error) when a body stays silent past its limit. */
export class IdleTimeoutError extends Error {
  readonly code: 'XAI_FIRST_BYTE_TIMEOUT' | 'XAI_IDLE_TIMEOUT';

  constructor(firstChunk: boolean, limitMs: number) {
    super(
      firstChunk
        ? `no first chunk from the provider within ${limitMs} ms`
        : `the provider was silent for more than ${limitMs} ms`,
    );
    this.name = IdleTimeoutError.name;
    this.code = firstChunk ? 'XAI_FIRST_BYTE_TIMEOUT' : 'XAI_IDLE_TIMEOUT';
  }
}

/** A body chunk as a Buffer, whatever form the body yields it in. */
export function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);

  return Buffer.from(String(chunk));
}
