import {
  AnthropicCustomToolSchema,
  AnthropicRequest,
  AnthropicRequestSchema,
} from '../protocols/anthropic-messages';
import { parseRequest } from '../protocols/json';
import type { OpenAiChatRequestOut, OpenAiToolOut } from '../protocols/openai-chat-output';
import { anthropicMessagesToOpenAi } from './anthropic-messages-to-openai';
import { FieldPolicies, assertTranslatableFields, onlyValue } from './field-policy';
import { effortForBudget } from './reasoning';
import { TranslationException } from './translation.exception';

const TARGET = 'OpenAI-compatible';

/** Tuning for {@link anthropicToOpenAiChat}. */
export interface AnthropicToOpenAiOptions {
  /**
   * Which field carries `max_tokens`. OpenAI's reasoning models accept only
   * `max_completion_tokens` (the default); some OpenAI-compatible hosts know only `max_tokens`.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** The provider named in refusals; set when this translation leads to another one. */
  targetName?: string;
  /** Only counting tokens: a last assistant turn (prefill) counts as it is. */
  countOnly?: boolean;
}

/** What the answer's translation needs to know about the request. */
export interface OpenAiAnswerContext {
  /** The model the caller asked for, as sent upstream. */
  model: string;
}

/** A translated request and what its answer's translation needs. */
export interface OpenAiChatTranslation {
  body: OpenAiChatRequestOut;
  context: OpenAiAnswerContext;
}

/**
 * Every top-level field of an Anthropic Messages request, and what becomes of it. `ignore`
 * marks hints without effect on the answer: `cache_control` (OpenAI caches prompt prefixes by
 * itself). `service_tier: "standard_only"` becomes OpenAI's `"default"` (standard capacity);
 * `"auto"` is OpenAI's own default.
 */
const FIELDS: FieldPolicies = {
  model: 'translate',
  max_tokens: 'translate',
  messages: 'translate',
  system: 'translate',
  stop_sequences: 'translate',
  stream: 'translate',
  temperature: 'translate',
  top_p: 'translate',
  tools: 'translate',
  tool_choice: 'translate',
  thinking: 'translate',
  metadata: 'translate',
  output_config: 'translate',
  cache_control: 'ignore',
  service_tier: 'translate',
  speed: onlyValue('standard', 'OpenAI has no fast mode'),
};

/**
 * Translates an Anthropic Messages request into an OpenAI chat completion request, for an
 * Anthropic caller (Claude Code, the Anthropic SDK) served by an OpenAI-type provider.
 *
 * - `system` → a system message; image blocks → `image_url` (data: or https URL); PDF
 *   documents → file parts; `tool_use` → `tool_calls`; `tool_result` → `tool` messages (an
 *   error result is prefixed `Error: `).
 * - `max_tokens` → `max_completion_tokens` (see options); `stop_sequences` → `stop`;
 *   `metadata.user_id` → `user`; `thinking` budget or `output_config.effort` →
 *   `reasoning_effort`; `output_config.format` → a strict `json_schema` response format.
 * - tools → function tools; `tool_choice` (`any` → `required`) and
 *   `disable_parallel_tool_use` → `parallel_tool_calls: false`.
 * - a stream asks for the usage chunk, which Anthropic's `message_delta` needs.
 *
 * @throws TranslationException naming the first field OpenAI cannot express (`top_k`,
 *   server tools, uploaded files, …).
 */
export function anthropicToOpenAiChat(
  body: unknown,
  options: AnthropicToOpenAiOptions = {},
): OpenAiChatTranslation {
  const request = parseRequest(AnthropicRequestSchema, body);
  const target = options.targetName ?? TARGET;
  assertTranslatableFields(request, FIELDS, target);
  if (!options.countOnly) assertNoPrefill(request, target);
  const out: OpenAiChatRequestOut = {
    model: request.model,
    messages: anthropicMessagesToOpenAi(request, target),
  };
  out[options.maxTokensField ?? 'max_completion_tokens'] = request.max_tokens;
  copySampling(request, out);
  applyTools(request, out, target);
  applyOutput(request, out, target);

  return { body: out, context: { model: request.model } };
}

/**
 * Anthropic continues a last assistant turn (a prefill) word for word; OpenAI-compatible
 * providers and Gemini answer after it instead, so the caller would get another answer.
 */
function assertNoPrefill(request: AnthropicRequest, target: string): void {
  const last = request.messages.length - 1;
  if (request.messages[last]?.role !== 'assistant') return;
  throw TranslationException.unsupported(
    `messages.${last}`,
    target,
    'a last assistant turn (prefill) would be answered, not continued; end with a user turn',
  );
}

function copySampling(request: AnthropicRequest, out: OpenAiChatRequestOut): void {
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.top_p !== undefined) out.top_p = request.top_p;
  if (request.stop_sequences && request.stop_sequences.length > 0) {
    out.stop = request.stop_sequences;
  }
  if (request.metadata?.user_id) out.user = request.metadata.user_id;
  if (request.service_tier === 'standard_only') out.service_tier = 'default';
  if (request.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
}

function applyTools(request: AnthropicRequest, out: OpenAiChatRequestOut, target: string): void {
  const tools = (request.tools ?? []).map((tool, index) => openAiTool(tool, index, target));
  if (tools.length === 0) return;
  out.tools = tools;
  const choice = request.tool_choice;
  if (!choice) return;
  if (choice.type === 'none') {
    out.tool_choice = 'none';

    return;
  }
  out.tool_choice =
    choice.type === 'auto'
      ? 'auto'
      : choice.type === 'any'
        ? 'required'
        : { type: 'function', function: { name: choice.name } };
  if (choice.disable_parallel_tool_use) out.parallel_tool_calls = false;
}

function openAiTool(tool: unknown, index: number, target: string): OpenAiToolOut {
  const parsed = AnthropicCustomToolSchema.safeParse(tool);
  if (!parsed.success) {
    throw TranslationException.unsupported(
      `tools.${index}`,
      target,
      "only client tools with an input_schema translate, not Anthropic's server tools",
    );
  }
  const { name, description, input_schema: parameters } = parsed.data;
  const strict = parsed.data.strict === true ? { strict: true } : {};

  return {
    type: 'function',
    function: { name, ...(description ? { description } : {}), parameters, ...strict },
  };
}

function applyOutput(request: AnthropicRequest, out: OpenAiChatRequestOut, target: string): void {
  const format = request.output_config?.format;
  if (format) {
    out.response_format = {
      type: 'json_schema',
      json_schema: { name: 'response', schema: format.schema, strict: true },
    };
  }
  const effort = request.output_config?.effort;
  if (effort === 'max') {
    throw TranslationException.unsupported(
      'output_config.effort',
      target,
      "there is no 'max' effort",
    );
  }
  if (effort) {
    out.reasoning_effort = effort;

    return;
  }
  if (request.thinking?.type === 'enabled') {
    out.reasoning_effort = effortForBudget(request.thinking.budget_tokens);
  }
}
