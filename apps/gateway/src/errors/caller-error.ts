import {
  CallerProtocol,
  MalformedUpstreamResponseException,
  TranslationException,
} from '@xai/providers';

import { toAnthropicError } from './anthropic-error';
import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';
import { toOpenAiError } from './openai-error';

/** An error as the caller's protocol shapes it. */
export interface CallerError {
  status: number;
  code: string;
  body: object;
}

/**
 * Turns any thrown value into an error in the caller's protocol. A request the provider's
 * protocol cannot express is the caller's 400; an answer the router cannot read is a 502.
 */
export function toCallerError(
  protocol: CallerProtocol,
  error: unknown,
  requestId: string,
): CallerError {
  const exception = fromProvidersError(error);
  if (protocol === 'anthropic') return toAnthropicError(exception, requestId);
  const { status, body } = toOpenAiError(exception, requestId);

  return { status, code: body.error.code, body };
}

/** The providers library's exceptions in the gateway's terms. */
export function fromProvidersError(error: unknown): unknown {
  if (error instanceof TranslationException) {
    return new GatewayException(GatewayErrorCode.InvalidRequest, error.message, {
      param: error.field,
    });
  }
  if (error instanceof MalformedUpstreamResponseException) {
    return new GatewayException(GatewayErrorCode.UpstreamError, error.message, { status: 502 });
  }

  return error;
}
