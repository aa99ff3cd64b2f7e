/** Anthropic's error body: `{ type: 'error', error: { type, message } }`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** Builds an Anthropic-shaped error body. */
export function anthropicError(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

const ERRORS_BY_STATUS: Record<number, AnthropicErrorBody> = {
  400: anthropicError('invalid_request_error', 'The mock was told to refuse this request.'),
  401: anthropicError('authentication_error', 'invalid x-api-key (mock)'),
  403: anthropicError('permission_error', 'This key may not use this resource (mock).'),
  404: anthropicError('not_found_error', 'model: not found (mock)'),
  413: anthropicError('request_too_large', 'Request exceeds the maximum size (mock).'),
  429: anthropicError('rate_limit_error', 'Rate limit reached for requests (mock).'),
  500: anthropicError('api_error', 'Internal server error (mock).'),
  529: anthropicError('overloaded_error', 'Overloaded (mock).'),
};

/** The error Anthropic would typically send with `status`, for behaviours that give no body. */
export function anthropicErrorForStatus(status: number): AnthropicErrorBody {
  const known = ERRORS_BY_STATUS[status];
  if (known) return known;

  return status >= 500
    ? anthropicError('api_error', `Upstream failure ${status} (mock).`)
    : anthropicError('invalid_request_error', `Request refused with ${status} (mock).`);
}
