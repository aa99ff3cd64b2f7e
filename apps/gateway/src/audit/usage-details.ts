import type { Usage } from '@xai/events';
import { extractOpenAiUsage } from '@xai/providers';

/**
 * The usage of an OpenAI-shaped answer or stream chunk, with the details real answers carry:
 * cached input tokens (`prompt_tokens_details.cached_tokens`, or the Responses API's
 * `input_tokens_details.cached_tokens`) and reasoning tokens
 * (`completion_tokens_details.reasoning_tokens` / `output_tokens_details.reasoning_tokens`).
 * A detail the provider left out stays absent rather than being guessed as 0.
 */
export function readUsage(body: unknown): Usage | null {
  const usage = extractOpenAiUsage(body);
  if (!usage) return null;
  const raw = (body as { usage: Record<string, unknown> }).usage;
  const cached = count(
    detail(raw.prompt_tokens_details ?? raw.input_tokens_details, 'cached_tokens'),
  );
  const reasoning = count(
    detail(raw.completion_tokens_details ?? raw.output_tokens_details, 'reasoning_tokens'),
  );

  // The object extractOpenAiUsage made is this call's own: the details are added to it.
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;

  return usage;
}

/**
 * The usage of a whole answer's bytes, read by `reader` (an OpenAI-shaped answer's by default);
 * null when it has no usage or is not JSON.
 */
export function readAnswerUsage(
  bytes: Buffer,
  reader: (json: unknown) => Usage | null = readUsage,
): Usage | null {
  try {
    return reader(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}

function detail(details: unknown, name: string): unknown {
  return typeof details === 'object' && details !== null
    ? (details as Record<string, unknown>)[name]
    : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
