/*
 * The OpenAI chat completion shapes translators write (requests for OpenAI-type providers,
 * answers and chunks for OpenAI callers), and the structural shapes they read from both
 * providers and other translators.
 */

/** The usage fields translators read, whether parsed from a provider or written by a translator. */
export interface OpenAiUsageFields {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** The chunk fields translators read, whether parsed from a provider or written by a translator. */
export interface OpenAiChunkFields {
  id: string;
  model: string;
  choices: {
    index: number;
    finish_reason?: string | null;
    delta: {
      content?: string | null;
      refusal?: string | null;
      tool_calls?:
        | {
            index: number;
            id?: string | null;
            function?: { name?: string | null; arguments?: string | null } | null;
          }[]
        | null;
    };
  }[];
  usage?: OpenAiUsageFields | null;
}

/** The usage object translators write, with the detail objects OpenAI's own answers carry. */
export interface OpenAiUsageOut {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** A tool call in a translated answer. */
export interface OpenAiToolCallOut {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A `chat.completion` written by a translator. */
export interface OpenAiChatCompletionOut {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: string | null;
      tool_calls?: OpenAiToolCallOut[];
    };
    logprobs: null;
    finish_reason: OpenAiFinishReason;
  }[];
  usage: OpenAiUsageOut;
}

/** The finish reasons OpenAI documents for chat completions. */
export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** The delta of one choice in a translated chunk. */
export interface OpenAiChunkDeltaOut {
  role?: 'assistant';
  content?: string;
  refusal?: string;
  tool_calls?: {
    index: number;
    id?: string;
    type?: 'function';
    function: { name?: string; arguments: string };
  }[];
}

/** A `chat.completion.chunk` written by a translator. */
export interface OpenAiChatChunkOut {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: OpenAiChunkDeltaOut;
    logprobs: null;
    finish_reason: OpenAiFinishReason | null;
  }[];
  usage?: OpenAiUsageOut | null;
}

/** OpenAI's error body, also sent as an SSE event when a stream fails midway. */
export interface OpenAiErrorOut {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A content part of a translated request's user message. */
export type OpenAiRequestPartOut =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } };

/** A message of a translated request. */
export type OpenAiRequestMessageOut =
  | { role: 'system'; content: string | { type: 'text'; text: string }[] }
  | { role: 'user'; content: string | OpenAiRequestPartOut[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAiToolCallOut[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A function tool of a translated request. */
export interface OpenAiToolOut {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters: Record<string, unknown>;
    strict?: boolean;
  };
}

/** A `POST /v1/chat/completions` body written by a translator. */
export interface OpenAiChatRequestOut {
  model: string;
  messages: OpenAiRequestMessageOut[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: OpenAiToolOut[];
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  response_format?: {
    type: 'json_schema';
    json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
  };
  reasoning_effort?: 'low' | 'medium' | 'high' | 'xhigh';
  user?: string;
  /** Standard capacity, for a caller that asked for no more than that. */
  service_tier?: 'default';
}
