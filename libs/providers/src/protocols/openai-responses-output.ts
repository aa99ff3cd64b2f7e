/*
 * The OpenAI Responses API shapes translators write for `/v1/responses` callers: the
 * `response` object, its output items and the stream events that build it.
 */

/** Usage in the Responses API's names. */
export interface ResponsesUsageOut {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** A content part of an output message. */
export type ResponsesOutputPartOut =
  | { type: 'output_text'; text: string; annotations: []; logprobs: [] }
  | { type: 'refusal'; refusal: string };

/** An assistant message in `output`. */
export interface ResponsesMessageItemOut {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: ResponsesOutputPartOut[];
}

/** A function call in `output`. */
export interface ResponsesFunctionCallItemOut {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export type ResponsesOutputItemOut = ResponsesMessageItemOut | ResponsesFunctionCallItemOut;

/** Why a response is `incomplete`. */
export type ResponsesIncompleteReason = 'max_output_tokens' | 'content_filter';

/** A `response` object written by a translator. */
export interface ResponseObjectOut {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  error: { code: string; message: string } | null;
  incomplete_details: { reason: ResponsesIncompleteReason } | null;
  model: string;
  output: ResponsesOutputItemOut[];
  usage: ResponsesUsageOut | null;
  /** The request's settings, echoed as OpenAI does (instructions, tools, temperature, …). */
  [echoed: string]: unknown;
}

/** One event of a Responses stream, `type` first; `sequence_number` is added when encoded. */
export type ResponsesStreamEventOut = { type: string } & Record<string, unknown>;
