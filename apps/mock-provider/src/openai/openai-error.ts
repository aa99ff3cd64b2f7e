/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Builds an OpenAI-shaped error body. */
export function openAiError(
  message: string,
  type = 'invalid_request_error',
  param: string | null = null,
  code: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

const ERRORS_BY_STATUS: Record<number, OpenAiErrorBody> = {
  400: openAiError('The mock was told to refuse this request.'),
  401: openAiError(
    'Incorrect API key provided (mock).',
    'invalid_request_error',
    null,
    'invalid_api_key',
  ),
  403: openAiError(
    'This key may not use this resource (mock).',
    'permission_error',
    null,
    'permission_denied',
  ),
  404: openAiError(
    'The model does not exist (mock).',
    'invalid_request_error',
    'model',
    'model_not_found',
  ),
  429: openAiError(
    'Rate limit reached for requests (mock).',
    'requests',
    null,
    'rate_limit_exceeded',
  ),
  500: openAiError('The server had an error processing the request (mock).', 'server_error'),
  503: openAiError(
    'The service is overloaded right now (mock).',
    'server_error',
    null,
    'service_unavailable',
  ),
};

/** The error OpenAI would typically send with `status`, for behaviours that give no body. */
export function openAiErrorForStatus(status: number): OpenAiErrorBody {
  const known = ERRORS_BY_STATUS[status];
  if (known) return known;

  return status >= 500
    ? openAiError(`Upstream failure ${status} (mock).`, 'server_error')
    : openAiError(`Request refused with ${status} (mock).`);
}
