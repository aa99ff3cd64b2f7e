import { z } from 'zod';

/**
 * The variable that turns a service's Prometheus endpoint on. Spread into each app's config
 * schema, like the other shared variables, so it is validated with the rest at boot.
 */
export const METRICS_ENV = {
  XAI_METRICS_PORT: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(0)
      .describe('Port of the Prometheus /metrics endpoint, on HOST; 0 turns metrics off'),
  },
};
