import { z } from 'zod';

const milliseconds = z.number().int().min(0).max(600_000);

/**
 * What a test asks of the mock for matching requests (`POST /_mock/behaviours`). A rule
 * matches when every selector it sets (`apiKey`, `model`, `path`) equals the request's.
 */
export const BehaviourInputSchema = z
  .object({
    /** Only requests carrying this key. */
    apiKey: z.string().min(1).optional(),
    /** Only requests for this model. */
    model: z.string().min(1).optional(),
    /** Only requests to this path, such as `/v1/chat/completions`. */
    path: z.string().startsWith('/').optional(),
    /**
     * Answer with this status. With `body` it replaces the answer; without, only an error status
     * (400 or more) does, with the error the request's API (OpenAI, Anthropic or Gemini)
     * typically sends for it.
     */
    status: z.number().int().min(200).max(599).optional(),
    /** Answer with this body: JSON for an object, sent as it is for a string. */
    body: z.unknown().optional(),
    /** Extra response headers, such as `Retry-After`. */
    headers: z.record(z.string()).optional(),
    /** Wait before the first byte. */
    delayMs: milliseconds.optional(),
    /** Wait between streamed chunks. */
    chunkDelayMs: milliseconds.optional(),
    /** Cut the answer after this many SSE chunks (non-streaming answers are cut before any byte). */
    failAfterChunks: z.number().int().min(0).optional(),
    /**
     * How a cut looks: a reset connection (default), an in-stream error event of the request's
     * API, or a clean close with no end mark (no `[DONE]`, `message_stop` or finish reason).
     */
    failMode: z.enum(['reset', 'error-event', 'close']).optional(),
    /** How many requests the rule applies to before it expires; unlimited by default. */
    times: z.number().int().positive().optional(),
  })
  .strict();

export type BehaviourInput = z.infer<typeof BehaviourInputSchema>;

/** A stored rule; `remaining` counts down from `times`. */
export interface Behaviour extends BehaviourInput {
  id: string;
  remaining?: number;
}

/** The parts of a request that rules select on. */
export interface BehaviourTarget {
  apiKey: string | null;
  model: string | null;
  path: string;
}
