import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';

/** An error body in OpenAI's shape, with the request id. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    code: string;
    param: string | null;
    request_id: string;
  };
}

const STATUS_AND_TYPE: Record<GatewayErrorCode, [number, string]> = {
  [GatewayErrorCode.InvalidJson]: [400, 'invalid_request_error'],
  [GatewayErrorCode.InvalidRequest]: [400, 'invalid_request_error'],
  [GatewayErrorCode.BodyTooLarge]: [413, 'invalid_request_error'],
  [GatewayErrorCode.MissingApiKey]: [401, 'authentication_error'],
  [GatewayErrorCode.InvalidApiKey]: [401, 'authentication_error'],
  [GatewayErrorCode.OwnerOnly]: [403, 'permission_error'],
  [GatewayErrorCode.NotFound]: [404, 'not_found_error'],
  [GatewayErrorCode.Conflict]: [409, 'invalid_request_error'],
  // No provider key is configured where the model routes: the router cannot serve it right now.
  [GatewayErrorCode.ModelNotRoutable]: [503, 'api_error'],
  [GatewayErrorCode.NoAvailableKey]: [503, 'api_error'],
  [GatewayErrorCode.ModelRefused]: [404, 'invalid_request_error'],
  [GatewayErrorCode.UpstreamRefused]: [400, 'invalid_request_error'],
  [GatewayErrorCode.UpstreamUnreachable]: [502, 'api_error'],
  [GatewayErrorCode.UpstreamError]: [502, 'api_error'],
  [GatewayErrorCode.KeyUnavailable]: [502, 'api_error'],
  [GatewayErrorCode.DependencyUnavailable]: [503, 'api_error'],
  [GatewayErrorCode.Internal]: [500, 'api_error'],
};

/** The HTTP status and OpenAI error type of a gateway error code. */
export function statusAndType(code: GatewayErrorCode): [number, string] {
  return STATUS_AND_TYPE[code];
}

/**
 * Turns any thrown value into an HTTP status and an OpenAI-shaped body. Only domain exceptions
 * carry their message to the caller; anything else becomes a generic internal error, so no
 * stack, driver message or secret leaks out.
 */
export function toOpenAiError(
  error: unknown,
  requestId: string,
): { status: number; body: OpenAiErrorBody } {
  const exception =
    error instanceof GatewayException
      ? error
      : new GatewayException(GatewayErrorCode.Internal, 'The router failed to handle the request.');
  const [defaultStatus, type] = statusAndType(exception.code);
  const status = exception.statusOverride ?? defaultStatus;

  return {
    status,
    body: {
      error: {
        message: exception.message,
        type,
        code: exception.code,
        param: exception.param ?? null,
        request_id: requestId,
      },
    },
  };
}
