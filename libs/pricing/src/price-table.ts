import { z } from 'zod';

import table from './official-prices.json';
import { parseDecimal } from './usd';

/** Prices have at most six decimals per million tokens, so a token costs a whole pico-dollar. */
const PRICE = z.string().refine((text) => {
  try {
    parseDecimal(text, 6);

    return true;
  } catch {
    return false;
  }
}, 'a non-negative decimal with at most six decimal places');

const TierSchema = z.object({
  input: PRICE,
  cachedInput: PRICE.optional(),
  output: PRICE,
  reasoning: PRICE.optional(),
});

/** One model's price in US dollars per million tokens. */
export const ModelPriceSchema = TierSchema.extend({
  model: z.string().min(1).max(200),
  provider: z.string().optional(),
  /** A higher tier for requests whose input exceeds a size (Gemini 2.5 Pro's long prompts). */
  longContext: TierSchema.extend({ aboveInputTokens: z.number().int().positive() }).optional(),
});

/** The versioned price table, as in `official-prices.json`. */
export const PriceTableSchema = z.object({
  version: z.string().min(1),
  currency: z.literal('USD'),
  unit: z.literal('per 1M tokens'),
  notes: z.array(z.string()),
  sources: z.array(z.object({ provider: z.string(), url: z.string().url(), checked: z.string() })),
  models: z.array(ModelPriceSchema),
});

export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export type PriceTable = z.infer<typeof PriceTableSchema>;

/**
 * The price table shipped with this release: official per-model prices with their source and
 * the date they were read. Validated at load, so a malformed edit fails at boot, not at billing.
 */
export const PRICE_TABLE: PriceTable = PriceTableSchema.parse(table);
