import { parseRequest } from '../protocols/json';
import {
  ResponsesFunctionToolSchema,
  ResponsesRequest,
  ResponsesRequestSchema,
  ResponsesToolChoice,
} from '../protocols/openai-responses';
import {
  FieldPolicies,
  FieldPolicy,
  assertTranslatableFields,
  onlyValue,
  onlyZero,
} from './field-policy';
import { ChatMessageIn, parseAt, responsesInputToChatMessages } from './responses-input-to-chat';
import { TranslationException } from './translation.exception';

/**
 * What the answer's translation needs to know about the request: the model, and the settings
 * a `response` object echoes back (instructions, tools, temperature, …).
 */
export interface ResponsesAnswerContext {
  model: string;
  echo: Record<string, unknown>;
}

/** A chat completion request built from a Responses request, for another translator. */
export interface ResponsesChatTranslation {
  body: Record<string, unknown> & { model: string; messages: ChatMessageIn[] };
  context: ResponsesAnswerContext;
}

const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

/** Refuses any value: the field needs something only OpenAI has. */
function never(why: string): FieldPolicy {
  return { acceptWhen: () => false, why };
}

/**
 * Every top-level field of a Responses request, and what becomes of it. `ignore` marks hints
 * without effect on the answer: `metadata` (echoed back, stored nowhere), `stream_options`
 * (obfuscation padding), `prompt_cache_key` and `safety_identifier`. What needs state kept
 * at OpenAI (`previous_response_id`, `conversation`, `store: true`, `background`, `prompt`)
 * is refused: a translated response is stored nowhere.
 */
const FIELDS: FieldPolicies = {
  model: 'translate',
  input: 'translate',
  instructions: 'translate',
  stream: 'translate',
  max_output_tokens: 'translate',
  temperature: 'translate',
  top_p: 'translate',
  tools: 'translate',
  tool_choice: 'translate',
  parallel_tool_calls: 'translate',
  text: 'translate',
  reasoning: 'translate',
  user: 'translate',
  service_tier: 'translate',
  metadata: 'ignore',
  stream_options: 'ignore',
  prompt_cache_key: 'ignore',
  safety_identifier: 'ignore',
  store: onlyValue(false, 'a translated response is not stored, so it could not be retrieved'),
  previous_response_id: never(
    'earlier responses are stored only at OpenAI; send the whole conversation in `input`',
  ),
  conversation: never('conversations are stored only at OpenAI; send them in `input`'),
  background: onlyValue(false, 'background responses are stored and polled at OpenAI'),
  prompt: never('prompt templates are stored only at OpenAI'),
  truncation: onlyValue('disabled', 'the provider does not drop input items to fit'),
  top_logprobs: onlyZero('log probabilities are not translated'),
  max_tool_calls: never('the provider cannot be limited to a number of tool calls'),
  include: {
    // No reasoning items are produced, so asking for their encrypted content asks for nothing.
    acceptWhen: (value) =>
      Array.isArray(value) && value.every((entry) => entry === 'reasoning.encrypted_content'),
    why: 'only `reasoning.encrypted_content` can be asked for',
  },
};

/**
 * Translates an OpenAI Responses request into an OpenAI chat completion request, the common
 * step towards Anthropic and Gemini providers (see `responses-translation.ts`).
 *
 * - `instructions` → a leading system message; `input` (a string, or message, `function_call`
 *   and `function_call_output` items) → chat messages, calls of one turn merged into one
 *   assistant message.
 * - `max_output_tokens` → `max_completion_tokens`; `text.format` → `response_format`;
 *   `reasoning.effort` → `reasoning_effort`; function tools and `tool_choice` → their chat
 *   forms; a stream asks for the usage chunk (the final `response.completed` carries usage).
 *
 * @throws TranslationException naming the first field the provider cannot express (built-in
 *   tools, stored state, uploaded files, …) or that is malformed.
 */
export function responsesToOpenAiChat(body: unknown, target: string): ResponsesChatTranslation {
  const request = parseRequest(ResponsesRequestSchema, body);
  assertTranslatableFields(request, FIELDS, target);
  const messages = responsesInputToChatMessages(request, target);
  const chat: ResponsesChatTranslation['body'] = { model: request.model, messages };
  copyScalars(request, chat);
  if (request.stream) chat.stream_options = { include_usage: true };
  applyTools(request, chat, target);
  applyText(request, chat, target);
  applyReasoning(request, chat, target);

  return { body: chat, context: { model: request.model, echo: echoOf(request) } };
}

function copyScalars(request: ResponsesRequest, chat: Record<string, unknown>): void {
  const copies: [string, unknown][] = [
    ['stream', request.stream],
    ['max_completion_tokens', request.max_output_tokens],
    ['temperature', request.temperature],
    ['top_p', request.top_p],
    ['parallel_tool_calls', request.parallel_tool_calls],
    ['user', request.user],
    ['service_tier', request.service_tier],
  ];
  for (const [name, value] of copies) {
    if (value !== undefined && value !== null) chat[name] = value;
  }
}

function applyTools(
  request: ResponsesRequest,
  chat: Record<string, unknown>,
  target: string,
): void {
  if (request.tools && request.tools.length > 0) {
    chat.tools = request.tools.map((tool, index) => chatTool(tool, `tools.${index}`, target));
  }
  if (request.tool_choice) chat.tool_choice = chatToolChoice(request.tool_choice, target);
}

function chatTool(tool: Record<string, unknown>, path: string, target: string): object {
  if (tool.type !== 'function') {
    throw TranslationException.unsupported(
      `${path}.type`,
      target,
      `'${String(tool.type)}' is a tool OpenAI runs itself; only function tools translate`,
    );
  }
  const parsed = parseAt(ResponsesFunctionToolSchema, tool, path);
  const definition: Record<string, unknown> = {
    name: parsed.name,
    parameters: parsed.parameters ?? { type: 'object', properties: {} },
  };
  if (parsed.description) definition.description = parsed.description;
  if (typeof parsed.strict === 'boolean') definition.strict = parsed.strict;

  return { type: 'function', function: definition };
}

function chatToolChoice(choice: ResponsesToolChoice, target: string): unknown {
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && choice.name) {
    return { type: 'function', function: { name: choice.name } };
  }

  throw TranslationException.unsupported(
    'tool_choice.type',
    target,
    'only a named function tool can be forced',
  );
}

function applyText(request: ResponsesRequest, chat: Record<string, unknown>, target: string): void {
  const text = request.text;
  if (!text) return;
  for (const key of Object.keys(text)) {
    if (key !== 'format' && key !== 'verbosity') {
      throw TranslationException.unsupported(`text.${key}`, target, 'the field is not known');
    }
  }
  if (text.verbosity && text.verbosity !== 'medium') {
    throw TranslationException.unsupported('text.verbosity', target, 'it has no verbosity setting');
  }
  const format = text.format;
  if (!format || format.type === 'text') return;
  if (format.type === 'json_object') {
    chat.response_format = { type: 'json_object' };

    return;
  }
  const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
  if (format.description) schema.description = format.description;
  if (typeof format.strict === 'boolean') schema.strict = format.strict;
  chat.response_format = { type: 'json_schema', json_schema: schema };
}

function applyReasoning(
  request: ResponsesRequest,
  chat: Record<string, unknown>,
  target: string,
): void {
  const reasoning = request.reasoning;
  if (!reasoning) return;
  for (const key of Object.keys(reasoning)) {
    // A summary is a wish OpenAI itself may not grant ("auto"); no reasoning items come back.
    if (key !== 'effort' && key !== 'summary' && key !== 'generate_summary') {
      throw TranslationException.unsupported(`reasoning.${key}`, target, 'the field is not known');
    }
  }
  const effort = reasoning.effort;
  if (effort === undefined || effort === null) return;
  if (!REASONING_EFFORTS.includes(effort)) {
    throw new TranslationException(
      'reasoning.effort',
      `Invalid value for 'reasoning.effort': expected one of ${REASONING_EFFORTS.join(', ')}.`,
    );
  }
  chat.reasoning_effort = effort;
}

/** The request settings a `response` object repeats, with OpenAI's defaults for the unset. */
function echoOf(request: ResponsesRequest): Record<string, unknown> {
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    user: request.user ?? null,
  };
}
