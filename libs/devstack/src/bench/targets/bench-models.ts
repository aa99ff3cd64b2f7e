import type { MockMode } from './fixtures';

/** The model each mock mode is reached with; the router routes on these names. */
export const MODE_MODELS: Record<MockMode, string> = {
  fast: 'bench-fast',
  delayed: 'bench-delayed',
  stream: 'bench-stream',
};

/** Streams held open for the memory figure: the stream mock paces them slowly for this model. */
export const HOLD_MODEL = 'bench-hold';

/** The model of the n-th cold-key probe (1-based); each has a provider key of its own. */
export function coldModel(index: number): string {
  return `bench-cold-${index}`;
}

/** The credential sent to the mock directly (L0, L2, the peer); the mock accepts any key. */
export const DIRECT_PROVIDER_KEY = 'sk-bench-direct-0000000000000000';

/** A non-streamed chat request for `model`. */
export function chatBody(model: string): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] });
}

/** A streamed chat request for `model`. */
export function streamBody(model: string): string {
  return JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Hello' }] });
}

/** The prompt size of the second held-stream figure: a realistic prompt, not a greeting. */
export const LARGE_PROMPT_KIB = 32;

/** `body` (a chat request) with its user message replaced by `kib` KiB of text. */
export function withPromptOf(body: string, kib: number): string {
  const request = JSON.parse(body) as { messages: Array<{ content: string }> };
  request.messages[0].content = 'lorem ipsum '
    .repeat(Math.ceil((kib * 1024) / 12))
    .slice(0, kib * 1024);

  return JSON.stringify(request);
}
