import { TranslationException } from './translation.exception';

/**
 * What a translator does with one top-level request field: carries it over (`translate`),
 * lets it go because it does not change what the model produces (`ignore`, a documented
 * hint), or accepts only values that mean "the default" and refuses the rest.
 */
export type FieldPolicy =
  'translate' | 'ignore' | { acceptWhen: (value: unknown) => boolean; why: string };

/** A translator's policy for every field it knows; unknown fields are refused. */
export type FieldPolicies = Readonly<Record<string, FieldPolicy>>;

/**
 * Refuses the first field of `request` that the target protocol cannot express: a field with
 * no policy, or a value its policy does not accept. Null and undefined values mean "unset".
 *
 * @throws TranslationException naming the field.
 */
export function assertTranslatableFields(
  request: Record<string, unknown>,
  policies: FieldPolicies,
  target: string,
): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === null || value === undefined) continue;
    const policy = Object.hasOwn(policies, field) ? policies[field] : undefined;
    if (policy === undefined) {
      throw TranslationException.unsupported(field, target, 'the field is not known to translate');
    }
    if (typeof policy === 'object' && !policy.acceptWhen(value)) {
      throw TranslationException.unsupported(field, target, policy.why);
    }
  }
}

/** Accepts only the given value (compared as JSON), such as `n: 1` or `modalities: ['text']`. */
export function onlyValue(expected: unknown, why: string): FieldPolicy {
  const json = JSON.stringify(expected);

  return { acceptWhen: (value) => JSON.stringify(value) === json, why };
}

/** Accepts only a zero number, such as `presence_penalty: 0`. */
export function onlyZero(why: string): FieldPolicy {
  return { acceptWhen: (value) => value === 0, why };
}

/** Accepts only an empty object or array, such as `logit_bias: {}`. */
export function onlyEmpty(why: string): FieldPolicy {
  return {
    acceptWhen: (value) =>
      typeof value === 'object' && value !== null && Object.keys(value).length === 0,
    why,
  };
}

/** Accepts only `false`, such as `logprobs: false`. */
export function onlyFalse(why: string): FieldPolicy {
  return { acceptWhen: (value) => value === false, why };
}
