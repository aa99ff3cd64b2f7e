import type { AnthropicToolChoice } from './anthropic-messages';

/*
 * The Anthropic Messages shapes translators write: requests for Anthropic providers, answers
 * and stream events for Anthropic callers.
 */

/** Anthropic's documented stop reasons. */
export type AnthropicStopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

/** The usage object translators write. */
export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A content block of a translated answer. */
export type AnthropicBlockOut =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A `message` written by a translator. */
export interface AnthropicMessageOut {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicBlockOut[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsageOut;
}

/** Anthropic's error body, also the data of an `error` stream event. */
export interface AnthropicErrorOut {
  type: 'error';
  error: { type: string; message: string };
}

/** An event of a translated stream; `type` is also the SSE `event:` name. */
export type AnthropicStreamEventOut =
  | { type: 'message_start'; message: AnthropicMessageOut }
  | { type: 'ping' }
  | {
      type: 'content_block_start';
      index: number;
      content_block:
        | { type: 'text'; text: '' }
        | { type: 'tool_use'; id: string; name: string; input: Record<string, never> };
    }
  | {
      type: 'content_block_delta';
      index: number;
      delta:
        { type: 'text_delta'; text: string } | { type: 'input_json_delta'; partial_json: string };
    }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null };
      usage: AnthropicUsageOut;
    }
  | { type: 'message_stop' }
  | AnthropicErrorOut;

/** A content block of a translated request. */
export type AnthropicRequestBlockOut =
  | { type: 'text'; text: string }
  | {
      type: 'image';
      source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
    }
  | {
      type: 'document';
      source:
        | { type: 'base64'; media_type: 'application/pdf'; data: string }
        | { type: 'text'; media_type: 'text/plain'; data: string };
      title?: string;
    }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | {
      type: 'tool_result';
      tool_use_id: string;
      content: string | { type: 'text'; text: string }[];
      is_error?: boolean;
    };

/** A message of a translated request. */
export interface AnthropicRequestMessageOut {
  role: 'user' | 'assistant';
  content: AnthropicRequestBlockOut[];
}

/** A tool of a translated request. */
export interface AnthropicToolOut {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** A `POST /v1/messages` body written by a translator. */
export interface AnthropicRequestOut {
  model: string;
  max_tokens: number;
  messages: AnthropicRequestMessageOut[];
  system?: { type: 'text'; text: string }[];
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  tools?: AnthropicToolOut[];
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id: string };
  thinking?: { type: 'enabled'; budget_tokens: number };
}
