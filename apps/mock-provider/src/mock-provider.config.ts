import { ConfigOf, env, loadConfig } from '@xai/common';
import { z } from 'zod';

const milliseconds = (description: string) =>
  z.coerce.number().int().min(0).max(600_000).default(0).describe(description);

const DEFAULT_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4-turbo',
  'o3-mini',
  'text-embedding-3-small',
  'text-embedding-3-large',
].join(',');

/** The mock provider's environment. It is a test tool: nothing here is secret. */
export const MOCK_PROVIDER_ENV = {
  HOST: { schema: env.string('127.0.0.1', 'Address the mock provider listens on') },
  HTTP_PORT: { schema: env.port(9090, 'HTTP port of the mock provider') },
  LOG_LEVEL: { schema: env.logLevel() },
  MOCK_DEFAULT_DELAY_MS: {
    schema: milliseconds(
      'Wait before the first byte of every answer, unless a behaviour says otherwise',
    ),
  },
  MOCK_CHUNK_DELAY_MS: {
    schema: milliseconds('Wait between streamed chunks, unless a behaviour says otherwise'),
  },
  MOCK_MAX_RECORDS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('Recorded requests kept, oldest dropped first; 0 turns recording off'),
  },
  MOCK_MODELS: {
    schema: z
      .string()
      .default(DEFAULT_MODELS)
      .transform((list) =>
        list
          .split(',')
          .map((model) => model.trim())
          .filter((model) => model !== ''),
      )
      .describe('Comma-separated model ids listed by GET /v1/models'),
  },
};

export type MockProviderConfig = ConfigOf<typeof MOCK_PROVIDER_ENV>;

/** Reads and validates the mock provider's configuration from the environment. */
export function loadMockProviderConfig(): MockProviderConfig {
  return loadConfig(MOCK_PROVIDER_ENV);
}
