import { SecretScrubber } from '@xai/providers';

/**
 * `chunks` with the exact forms of the secret the attempt sent removed (see
 * `SecretScrubber.stream`), also when a provider's answer splits one across chunks. Only those
 * forms: the pattern rules would corrupt ordinary content of a successful answer. A chunk is
 * held back only by the few tail bytes that could start a form, and the rest flushed at the end.
 */
export async function* withoutSecret(
  chunks: AsyncIterable<Buffer>,
  scrub: SecretScrubber,
): AsyncGenerator<Buffer> {
  const filter = scrub.stream();
  for await (const chunk of chunks) {
    const out = filter.push(chunk);
    if (out.length > 0) yield out;
  }
  const rest = filter.end();
  if (rest.length > 0) yield rest;
}
