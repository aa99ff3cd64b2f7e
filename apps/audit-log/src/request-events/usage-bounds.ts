import type { RequestAuditEvent, Usage } from '@xai/events';

/**
 * The most tokens one call can plausibly report of any kind: far above any model's context
 * and output, far below what would overflow a rollup. A count above it is capped to it.
 */
export const MAX_TOKENS_PER_CALL = 100_000_000;

/** What ingest corrected in a usage, as stored in `ingest_flags`. */
export type UsageFlag = 'tokens_capped' | 'cached_capped' | 'reasoning_capped';

/**
 * The usage as it is recorded, and what was corrected: every count capped to
 * {@link MAX_TOKENS_PER_CALL} (`tokens_capped`), cached input to the input (`cached_capped`)
 * and reasoning to the output (`reasoning_capped`), since each is a part of the other.
 */
export function boundUsage(usage: Usage): { usage: Usage; flags: UsageFlag[] } {
  const flags = new Set<UsageFlag>();
  const cap = (count: number): number => {
    if (count <= MAX_TOKENS_PER_CALL) return count;
    flags.add('tokens_capped');

    return MAX_TOKENS_PER_CALL;
  };
  const part = (count: number | undefined, whole: number, flag: UsageFlag) => {
    if (count === undefined) return undefined;
    const capped = cap(count);
    if (capped <= whole) return capped;
    flags.add(flag);

    return whole;
  };
  const promptTokens = cap(usage.promptTokens);
  const completionTokens = cap(usage.completionTokens);
  const bounded: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: cap(usage.totalTokens),
    cachedInputTokens: part(usage.cachedInputTokens, promptTokens, 'cached_capped'),
    reasoningTokens: part(usage.reasoningTokens, completionTokens, 'reasoning_capped'),
  };
  if (bounded.cachedInputTokens === undefined) delete bounded.cachedInputTokens;
  if (bounded.reasoningTokens === undefined) delete bounded.reasoningTokens;

  return { usage: bounded, flags: [...flags] };
}

/** The event with its usage bounded (see {@link boundUsage}), and what was corrected. */
export function boundRequestUsage(event: RequestAuditEvent): {
  event: RequestAuditEvent;
  flags: UsageFlag[];
} {
  if (!event.usage) return { event, flags: [] };
  const { usage, flags } = boundUsage(event.usage);

  return { event: flags.length > 0 ? { ...event, usage } : event, flags };
}
