/** Gemini's (Google API) error body: `{ error: { code, message, status } }`. */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

/** Builds a Gemini-shaped error body. */
export function geminiError(code: number, status: string, message: string): GeminiErrorBody {
  return { error: { code, message, status } };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The error Gemini would typically send with `status`, for behaviours that give no body. */
export function geminiErrorForStatus(status: number): GeminiErrorBody {
  const name = STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');

  return geminiError(status, name, `The mock answered ${status} (${name}).`);
}
