import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';

/** Longest model name accepted; real model ids are far shorter. */
export const MAX_MODEL_LENGTH = 256;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Half of a UTF-16 surrogate pair standing alone: no character, and not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The model name a call is routed by, checked the same way for real calls and for
 * `GET /x-route`: present, not blank, at most {@link MAX_MODEL_LENGTH} characters, without
 * control characters, and otherwise taken exactly as given (no trimming: the mappers match,
 * and the provider receives, the very name the caller sent).
 */
export function requireModelName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidModel('You must provide a model parameter.');
  }
  if (value.length > MAX_MODEL_LENGTH || CONTROL_CHARACTER.test(value)) {
    throw invalidModel(
      `The model name must be at most ${MAX_MODEL_LENGTH} characters, without control characters.`,
    );
  }
  if (LONE_SURROGATE.test(value)) {
    throw invalidModel('The model name must be valid Unicode (it holds a lone surrogate).');
  }

  return value;
}

function invalidModel(message: string): GatewayException {
  return new GatewayException(GatewayErrorCode.InvalidRequest, message, { param: 'model' });
}
