import { toOpenAiError } from './openai-error';

/** An error body in Anthropic's shape, with the request id. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

/**
 * Turns any thrown value into an HTTP status and an Anthropic-shaped body. The status and
 * message are the ones an OpenAI caller would get; only the shape differs.
 */
export function toAnthropicError(
  error: unknown,
  requestId: string,
): { status: number; body: AnthropicErrorBody; code: string } {
  const { status, body } = toOpenAiError(error, requestId);

  return {
    status,
    code: body.error.code,
    body: {
      type: 'error',
      error: { type: anthropicType(status, body.error.type), message: body.error.message },
      request_id: requestId,
    },
  };
}

/** Anthropic names a few error types differently from OpenAI. */
function anthropicType(status: number, openAiType: string): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 413) return 'request_too_large';
  if (status === 529) return 'overloaded_error';

  return openAiType;
}
