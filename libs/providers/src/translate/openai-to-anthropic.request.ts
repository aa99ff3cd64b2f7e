import type { AnthropicToolChoice } from '../protocols/anthropic-messages';
import type { AnthropicRequestOut, AnthropicToolOut } from '../protocols/anthropic-messages-output';
import { parseRequest } from '../protocols/json';
import {
  OpenAiChatRequest,
  OpenAiChatRequestSchema,
  OpenAiFunctionToolSchema,
} from '../protocols/openai-chat';
import {
  FieldPolicies,
  assertTranslatableFields,
  onlyEmpty,
  onlyFalse,
  onlyValue,
  onlyZero,
} from './field-policy';
import { openAiMessagesToAnthropic } from './openai-messages-to-anthropic';
import { ANTHROPIC_MIN_THINKING_BUDGET, THINKING_BUDGET, isThinkingEffort } from './reasoning';
import { TranslationException } from './translation.exception';

const TARGET = 'Anthropic';

/** Tuning for {@link openAiChatToAnthropic}. */
export interface OpenAiToAnthropicOptions {
  /** `max_tokens` when the caller set no limit (Anthropic requires one); 4096 by default. */
  defaultMaxTokens?: number;
}

/** What the answer's translation needs to know about the request. */
export interface AnthropicAnswerContext {
  /** The model the caller asked for, as sent upstream. */
  model: string;
  /** Whether the caller asked for a usage chunk at the end of a stream. */
  includeUsage: boolean;
  /** The forced tool that carries a JSON-mode answer, whose input becomes the content. */
  jsonToolName: string | null;
}

/** A translated request and what its answer's translation needs. */
export interface AnthropicTranslation {
  body: AnthropicRequestOut;
  context: AnthropicAnswerContext;
}

const DEFAULT_MAX_TOKENS = 4096;
const JSON_OBJECT_TOOL = 'json_object';

/**
 * Every top-level field of an OpenAI chat request, and what becomes of it. `ignore` marks
 * hints without effect on the generated answer: `seed` (best effort even at OpenAI),
 * `metadata` (labels of OpenAI-side storage), `prediction` (a latency aid) and
 * `prompt_cache_key` (OpenAI-side caching). `store: true` is refused: nothing is stored.
 * `safety_identifier` names the end user, as `user` does.
 */
const FIELDS: FieldPolicies = {
  model: 'translate',
  messages: 'translate',
  stream: 'translate',
  stream_options: 'translate',
  max_tokens: 'translate',
  max_completion_tokens: 'translate',
  temperature: 'translate',
  top_p: 'translate',
  stop: 'translate',
  tools: 'translate',
  tool_choice: 'translate',
  parallel_tool_calls: 'translate',
  response_format: 'translate',
  reasoning_effort: 'translate',
  user: 'translate',
  seed: 'ignore',
  store: onlyValue(
    false,
    'a translated completion is stored nowhere, so it could not be retrieved',
  ),
  metadata: 'ignore',
  prediction: 'ignore',
  prompt_cache_key: 'ignore',
  safety_identifier: 'translate',
  n: onlyValue(1, 'Anthropic returns one choice'),
  presence_penalty: onlyZero('Anthropic has no presence penalty'),
  frequency_penalty: onlyZero('Anthropic has no frequency penalty'),
  logit_bias: onlyEmpty('Anthropic has no logit bias'),
  logprobs: onlyFalse('Anthropic returns no log probabilities'),
  top_logprobs: onlyZero('Anthropic returns no log probabilities'),
  modalities: onlyValue(['text'], 'Anthropic answers in text only'),
  service_tier: {
    acceptWhen: (value) => value === 'auto' || value === 'default',
    why: "Anthropic's service tiers differ from OpenAI's",
  },
  verbosity: onlyValue('medium', 'Anthropic has no verbosity setting'),
};

/**
 * Translates an OpenAI chat completion request into an Anthropic Messages request.
 *
 * - system and developer messages → `system`; images (data: and https URLs) → image blocks;
 *   PDF, text and image files → document/image blocks; tool calls and tool messages →
 *   `tool_use` / `tool_result` blocks.
 * - `max_completion_tokens` / `max_tokens` → `max_tokens` (a default when unset); `stop` →
 *   `stop_sequences`; `user` → `metadata.user_id`; `reasoning_effort` → a thinking budget.
 * - tools, `tool_choice` (`required` → `any`) and `parallel_tool_calls: false` →
 *   `disable_parallel_tool_use`.
 * - `response_format` JSON modes → a forced tool whose input is the JSON answer; refused
 *   alongside callable tools, which a forced tool would silence.
 *
 * @throws TranslationException naming the first field Anthropic cannot express.
 */
export function openAiChatToAnthropic(
  body: unknown,
  options: OpenAiToAnthropicOptions = {},
): AnthropicTranslation {
  const request = parseRequest(OpenAiChatRequestSchema, body);
  assertTranslatableFields(request, FIELDS, TARGET);
  const { system, messages } = openAiMessagesToAnthropic(request.messages);
  const out: AnthropicRequestOut = {
    model: request.model,
    max_tokens: maxTokens(request, options),
    messages,
  };
  if (system.length > 0) out.system = system;
  copySampling(request, out);
  const jsonToolName = applyTools(request, out);
  applyThinking(request, out, options);

  return {
    body: out,
    context: {
      model: request.model,
      includeUsage: request.stream_options?.include_usage === true,
      jsonToolName,
    },
  };
}

function maxTokens(request: OpenAiChatRequest, options: OpenAiToAnthropicOptions): number {
  return (
    request.max_completion_tokens ??
    request.max_tokens ??
    options.defaultMaxTokens ??
    DEFAULT_MAX_TOKENS
  );
}

function copySampling(request: OpenAiChatRequest, out: AnthropicRequestOut): void {
  if (request.temperature != null) {
    if (request.temperature > 1) {
      throw TranslationException.unsupported('temperature', TARGET, 'Anthropic accepts 0 to 1');
    }
    out.temperature = request.temperature;
  }
  if (request.top_p != null) out.top_p = request.top_p;
  if (request.stop != null) {
    const stops = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stops.length > 0) out.stop_sequences = stops;
  }
  if (request.stream) out.stream = true;
  // Both name the end user, as Anthropic's `metadata.user_id` does (`user` is OpenAI's older name).
  const endUser = request.user || request.safety_identifier;
  if (typeof endUser === 'string' && endUser !== '') out.metadata = { user_id: endUser };
}

/** Sets tools and tool choice; returns the JSON-mode tool's name when one is forced. */
function applyTools(request: OpenAiChatRequest, out: AnthropicRequestOut): string | null {
  const tools = (request.tools ?? []).map(anthropicTool);
  const choice = toolChoice(request);
  const jsonTool = jsonModeTool(request, tools, choice);
  if (jsonTool) {
    out.tools = [...tools, jsonTool];
    out.tool_choice = { type: 'tool', name: jsonTool.name };

    return jsonTool.name;
  }
  if (tools.length > 0) out.tools = tools;
  // Without tools a choice means nothing, and Anthropic refuses it.
  if (choice && tools.length > 0) out.tool_choice = choice;

  return null;
}

function anthropicTool(tool: unknown, index: number): AnthropicToolOut {
  const parsed = OpenAiFunctionToolSchema.safeParse(tool);
  if (!parsed.success) {
    throw TranslationException.unsupported(
      `tools.${index}`,
      TARGET,
      'only function tools translate',
    );
  }
  const fn = parsed.data.function;

  return {
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    input_schema: fn.parameters ?? { type: 'object', properties: {} },
  };
}

function toolChoice(request: OpenAiChatRequest): AnthropicToolChoice | undefined {
  const noParallel =
    request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice = request.tool_choice;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (typeof choice === 'object' && choice !== null) {
    return { type: 'tool', name: choice.function.name, ...noParallel };
  }
  if (choice === 'auto' || request.parallel_tool_calls === false) {
    return { type: 'auto', ...noParallel };
  }

  return undefined;
}

function jsonModeTool(
  request: OpenAiChatRequest,
  tools: AnthropicToolOut[],
  choice: AnthropicToolChoice | undefined,
): AnthropicToolOut | null {
  const format = request.response_format;
  if (!format || format.type === 'text') return null;
  if (tools.length > 0 && choice?.type !== 'none') {
    throw TranslationException.unsupported(
      'response_format',
      TARGET,
      'JSON mode is carried as a forced tool, which would keep the model from calling the other tools',
    );
  }
  const name = format.type === 'json_schema' ? format.json_schema.name : JSON_OBJECT_TOOL;
  const schema = format.type === 'json_schema' ? format.json_schema.schema : undefined;
  if (schema && schema.type !== 'object') {
    throw TranslationException.unsupported(
      'response_format.json_schema.schema',
      TARGET,
      'the schema must describe an object to be carried as a tool input',
    );
  }
  if (tools.some((tool) => tool.name === name)) {
    throw TranslationException.unsupported(
      'response_format.json_schema.name',
      TARGET,
      'a tool has the same name',
    );
  }
  const description =
    format.type === 'json_schema' && format.json_schema.description
      ? format.json_schema.description
      : 'Give the answer as the input of this tool.';

  return { name, description, input_schema: schema ?? { type: 'object' } };
}

function applyThinking(
  request: OpenAiChatRequest,
  out: AnthropicRequestOut,
  options: OpenAiToAnthropicOptions,
): void {
  const effort = request.reasoning_effort;
  if (!isThinkingEffort(effort)) return;
  if (out.tool_choice?.type === 'tool' || out.tool_choice?.type === 'any') {
    throw TranslationException.unsupported(
      'reasoning_effort',
      TARGET,
      'Anthropic does not think while a tool call is forced',
    );
  }
  if (out.temperature !== undefined && out.temperature !== 1) {
    throw TranslationException.unsupported(
      'temperature',
      TARGET,
      'Anthropic requires 1 while thinking',
    );
  }
  const callerLimit = request.max_completion_tokens ?? request.max_tokens;
  if (callerLimit == null) {
    // The default limit is meant for the visible answer; thinking comes on top of it.
    out.max_tokens = THINKING_BUDGET[effort] + (options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS);
  }
  const budget = Math.min(THINKING_BUDGET[effort], out.max_tokens - 1);
  if (budget < ANTHROPIC_MIN_THINKING_BUDGET) {
    throw TranslationException.unsupported(
      'reasoning_effort',
      TARGET,
      `thinking needs max_completion_tokens above ${ANTHROPIC_MIN_THINKING_BUDGET}`,
    );
  }
  out.thinking = { type: 'enabled', budget_tokens: budget };
}
