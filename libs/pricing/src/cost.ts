import { priceLookupNames } from './model-name';
import { ModelPrice, PRICE_TABLE, PriceTable } from './price-table';
import { formatPicoUsd, parseDecimal } from './usd';

/** Token counts of one call. Cached tokens are part of input, reasoning tokens part of output. */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** A price found for a model, and where it came from. */
export interface PriceMatch {
  price: ModelPrice;
  /** `override` for a tenant's own price, else `table:<version>`. */
  source: string;
}

/** A cost, and the price it was computed from; both null when the model has no known price. */
export interface PricedUsage {
  costUsd: string | null;
  source: string | null;
}

/**
 * The price of `model`: the tenant's override first, then the table, each looked up by the
 * names of {@link priceLookupNames}. Undefined when neither knows the model: such calls are
 * recorded with their usage and a null cost, never a guessed one.
 */
export function findPrice(
  model: string,
  overrides: readonly ModelPrice[] = [],
  table: PriceTable = PRICE_TABLE,
): PriceMatch | undefined {
  for (const name of priceLookupNames(model)) {
    const override = overrides.find((price) => price.model.toLowerCase() === name);
    if (override) return { price: override, source: 'override' };
    const listed = table.models.find((price) => price.model === name);
    if (listed) return { price: listed, source: `table:${table.version}` };
  }

  return undefined;
}

/**
 * The cost of one call at the provider's price, with zero markup, in US dollars with twelve
 * decimals. Computed in integer pico-dollars, so it is exact: uncached input at the input
 * price, cached input at the cached price (the input price when none is listed), output
 * without reasoning at the output price, reasoning at the reasoning price (the output price
 * when none is listed). A detail count larger than its total is capped at the total.
 */
export function costOf(usage: TokenUsage, price: ModelPrice): string {
  const tier =
    price.longContext && usage.inputTokens > price.longContext.aboveInputTokens
      ? price.longContext
      : price;
  const perToken = (perMillion: string): bigint => parseDecimal(perMillion, 6);
  const cached = BigInt(Math.min(usage.cachedInputTokens, usage.inputTokens));
  const reasoning = BigInt(Math.min(usage.reasoningTokens, usage.outputTokens));
  const pico =
    (BigInt(usage.inputTokens) - cached) * perToken(tier.input) +
    cached * perToken(tier.cachedInput ?? tier.input) +
    (BigInt(usage.outputTokens) - reasoning) * perToken(tier.output) +
    reasoning * perToken(tier.reasoning ?? tier.output);

  return formatPicoUsd(pico);
}

/** Prices one call of `model`; a null cost when the model has no known price. */
export function priceUsage(
  model: string,
  usage: TokenUsage,
  overrides: readonly ModelPrice[] = [],
  table: PriceTable = PRICE_TABLE,
): PricedUsage {
  const match = findPrice(model, overrides, table);
  if (!match) return { costUsd: null, source: null };

  return { costUsd: costOf(usage, match.price), source: match.source };
}
