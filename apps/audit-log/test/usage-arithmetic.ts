/**
 * The cost arithmetic of docs/audit.md written out for tests, independently of libs/pricing:
 * prices are the published ones typed in by hand, and the sum is done here in pico-dollars.
 */

/** Token counts as audit-log meters them: cached inside input, reasoning inside output. */
export interface MeteredTokens {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

/** One price tier, USD per million tokens as published. */
export interface PublishedTier {
  input: string;
  cached?: string;
  output: string;
}

/** A published price, with the higher tier some models charge for long prompts. */
export interface PublishedPrice extends PublishedTier {
  longContext?: PublishedTier & { aboveInputTokens: number };
}

/** USD per million tokens → pico-dollars per token (six decimals at most). */
function perToken(perMillion: string): bigint {
  const [whole, fraction = ''] = perMillion.split('.');

  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/** The cost of one call in pico-dollars; reasoning at the output price, as the table has it. */
export function expectedPico(price: PublishedPrice, tokens: MeteredTokens): bigint {
  const long = price.longContext;
  const tier = long && tokens.input > long.aboveInputTokens ? long : price;
  const cached = BigInt(tokens.cached);

  return (
    (BigInt(tokens.input) - cached) * perToken(tier.input) +
    cached * perToken(tier.cached ?? tier.input) +
    BigInt(tokens.output) * perToken(tier.output)
  );
}

/** Pico-dollars as the API writes dollars: twelve decimals. */
export function usd(pico: bigint): string {
  return `${pico / 10n ** 12n}.${(pico % 10n ** 12n).toString().padStart(12, '0')}`;
}
