import { DomainException } from '@xai/common';
import type { ZodError, ZodIssue } from 'zod';

import { ProvidersErrorCode } from '../providers-error-code';

/**
 * Thrown when a request cannot be carried to the provider's protocol: a field has no
 * counterpart there, or is malformed so its meaning is unknown. The gateway answers 400 with
 * the message, which names the field, so nothing is ever dropped silently.
 */
export class TranslationException extends DomainException<ProvidersErrorCode.TranslationRefused> {
  constructor(
    /** The offending field as a dotted path, such as `messages.2.content.0.type`. */
    readonly field: string,
    message: string,
  ) {
    super(ProvidersErrorCode.TranslationRefused, message);
  }

  /** A field the target protocol has no way to express. */
  static unsupported(field: string, target: string, why?: string): TranslationException {
    const reason = why ? `: ${why}` : '';
    const article = /^[AEIOU]/i.test(target) ? 'an' : 'a';

    return new TranslationException(
      field,
      `'${field}' cannot be translated for ${article} ${target} provider${reason}.`,
    );
  }

  /** The first problem zod found in the caller's request. */
  static fromZod(error: ZodError): TranslationException {
    const issue = deepestIssue(error.issues[0]);
    const field = issue.path.join('.') || '(body)';

    return new TranslationException(field, `Invalid value for '${field}': ${issue.message}.`);
  }
}

/**
 * Thrown when a provider's answer does not have the shape its protocol promises, so it cannot
 * be turned into the caller's protocol. The gateway answers 502.
 */
export class MalformedUpstreamResponseException extends DomainException<ProvidersErrorCode.UpstreamResponseMalformed> {
  constructor(detail: string) {
    super(
      ProvidersErrorCode.UpstreamResponseMalformed,
      `The provider's answer could not be translated: ${detail}.`,
    );
  }

  /** The first problem zod found in the provider's answer. */
  static fromZod(error: ZodError): MalformedUpstreamResponseException {
    const issue = error.issues[0];

    return new MalformedUpstreamResponseException(
      `${issue.path.join('.') || '(body)'} ${issue.message}`,
    );
  }
}

/**
 * Zod reports a value matching no branch of a union (`content` as a string or as blocks) at
 * the union itself; the branch that got furthest names the field the caller actually got
 * wrong, such as `messages.0.content.2.type`.
 */
function deepestIssue(issue: ZodIssue): ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const candidates = issue.unionErrors.map((error) => deepestIssue(error.issues[0]));

  return candidates.reduce(
    (deepest, candidate) => (candidate.path.length > deepest.path.length ? candidate : deepest),
    issue,
  );
}
