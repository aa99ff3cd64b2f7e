import { z } from 'zod';

/** A validated environment variable: its schema (with `.describe()`) and whether it is secret. */
export interface EnvVarSpec {
  schema: z.ZodTypeAny;
  sensitive?: boolean;
  /**
   * Read byte for byte: blanks around the value are kept rather than removed, for a secret that
   * data already stored depends on (a pepper), where removing them would change its meaning.
   */
  verbatim?: boolean;
}

export type EnvSpec = Record<string, EnvVarSpec>;

export type ConfigOf<S extends EnvSpec> = { [K in keyof S]: z.infer<S[K]['schema']> };

/** Thrown at boot when the environment does not satisfy an app's schema. */
export class ConfigValidationException extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = ConfigValidationException.name;
  }
}

/**
 * Reads and validates an app's configuration from the environment, in one place. Blanks around
 * a value are removed (unless the variable is `verbatim`), and a value of only blanks is unset.
 * Every problem is reported at once, naming the variable and its description; values of
 * sensitive variables are never echoed.
 */
export function loadConfig<S extends EnvSpec>(
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};

  for (const [name, { schema, verbatim }] of Object.entries(spec)) {
    const raw = valueOf(env[name], verbatim);
    const description = schema.description ? ` (${schema.description})` : '';
    if (raw !== undefined && readsNumber(schema) && !DECIMAL.test(raw)) {
      problems.push(`${name}${description}: must be a number in decimal digits`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      result[name] = parsed.data;
      continue;
    }
    const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
    problems.push(`${name}${description}: ${raw === undefined ? 'required' : reason}`);
  }
  if (problems.length > 0) throw new ConfigValidationException(problems);

  return result as ConfigOf<S>;
}

/**
 * A number as an operator writes one: decimal digits, perhaps a sign and a fraction. A number
 * schema's coercion (`Number()`) also reads `0x10` as 16, `1e3` as 1000 and `Infinity`, which is
 * not what such a value says.
 */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** Whether `schema` reads its value as a number (through a default, an optional, a refinement). */
function readsNumber(schema: z.ZodTypeAny): boolean {
  let inner: z.ZodTypeAny = schema;
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) {
      inner = inner._def.innerType as z.ZodTypeAny;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner._def.schema as z.ZodTypeAny;
    } else {
      return inner instanceof z.ZodNumber;
    }
  }
}

/**
 * A variable's value as its schema reads it. Empty or only blanks is unset: `Number(' ')` would
 * otherwise read as 0 (a random port). Blanks around a value come from quoting in a .env file,
 * a YAML block or a Secret made from a file, and would otherwise surface far from the variable
 * (`HOST=" 127.0.0.1 "` failed as a DNS error).
 */
function valueOf(given: string | undefined, verbatim = false): string | undefined {
  const trimmed = given?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;

  return verbatim ? given : trimmed;
}

/** The longest delay a Node.js timer keeps: a longer one fires at once, after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An integer from `min` to `max`, at most what a double holds exactly (`1e20` is not). */
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

/**
 * Zod helpers for the shapes environment variables take. A number has a lower bound: a count,
 * size or timeout of 0 (or less) does not mean what an operator who wrote it meant, unless the
 * variable's description says what 0 does.
 */
export const env = {
  port: (fallback: number, description: string) =>
    z.coerce.number().int().min(0).max(65535).default(fallback).describe(description),
  /** A count or a size: a pool's connections, a limit in bytes; 1 or more. */
  positiveInt: (fallback: number, description: string) =>
    integer(1).default(fallback).describe(description),
  /** A size with a floor of its own (a spool's bytes, say); `min` or more. */
  atLeast: (min: number, fallback: number, description: string) =>
    integer(min).default(fallback).describe(description),
  /** An integer whose 0 has a meaning, which the description gives; 0 or more. */
  nonNegativeInt: (fallback: number, description: string) =>
    integer(0).default(fallback).describe(description),
  /** A delay, period or deadline in milliseconds, run by a timer: 1 to {@link MAX_TIMER_MS}. */
  milliseconds: (fallback: number, description: string) =>
    integer(1, MAX_TIMER_MS).default(fallback).describe(description),
  /** Like {@link env.milliseconds}, with 0 for "none" (no limit, never), as the description says. */
  millisecondsOrZero: (fallback: number, description: string) =>
    integer(0, MAX_TIMER_MS).default(fallback).describe(description),
  bool: (fallback: boolean, description: string) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1')
      .describe(description),
  string: (fallback: string, description: string) =>
    z.string().default(fallback).describe(description),
  required: (description: string) => z.string().min(1).describe(description),
  optional: (description: string) => z.string().min(1).optional().describe(description),
  url: (description: string) => z.string().url().describe(description),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log level'),
};
