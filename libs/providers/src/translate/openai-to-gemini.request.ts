import type {
  GeminiGenerationConfigOut,
  GeminiRequestOut,
  GeminiToolConfigOut,
} from '../protocols/gemini-content';
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
import { openAiMessagesToGemini } from './openai-messages-to-gemini';
import { THINKING_BUDGET, isThinkingEffort } from './reasoning';
import { TranslationException } from './translation.exception';

const TARGET = 'Gemini';

/** Tuning for {@link openAiChatToGemini}, used when another translation leads to it. */
export interface OpenAiToGeminiOptions {
  /** `generationConfig.topK`, overriding a `top_k` field of the request. */
  topK?: number;
  /** An exact thinking budget, overriding the one `reasoning_effort` implies. */
  thinkingBudget?: number;
}

/** What the answer's translation needs to know about the request. */
export interface GeminiAnswerContext {
  /** The model the caller asked for; Gemini takes it in the URL. */
  model: string;
  /** Whether the caller asked for a usage chunk at the end of a stream. */
  includeUsage: boolean;
}

/** A translated request: its body, and the model and mode that pick Gemini's URL. */
export interface GeminiTranslation {
  body: GeminiRequestOut;
  model: string;
  stream: boolean;
  context: GeminiAnswerContext;
}

/**
 * Every top-level field of an OpenAI chat request, and what becomes of it. `top_k` is an
 * extension some OpenAI-compatible hosts accept; Gemini has it. `ignore` marks hints without
 * effect on the answer (see the Anthropic translator), plus `user` and `safety_identifier`,
 * which Gemini has no field for. `store: true` is refused: nothing is stored.
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
  top_k: 'translate',
  stop: 'translate',
  n: 'translate',
  tools: 'translate',
  tool_choice: 'translate',
  response_format: 'translate',
  reasoning_effort: 'translate',
  presence_penalty: 'translate',
  frequency_penalty: 'translate',
  seed: 'translate',
  user: 'ignore',
  store: onlyValue(
    false,
    'a translated completion is stored nowhere, so it could not be retrieved',
  ),
  metadata: 'ignore',
  prediction: 'ignore',
  prompt_cache_key: 'ignore',
  safety_identifier: 'ignore',
  parallel_tool_calls: onlyValue(true, 'Gemini cannot be kept to one function call per turn'),
  logit_bias: onlyEmpty('Gemini has no logit bias'),
  logprobs: onlyFalse('log probabilities are not translated from Gemini'),
  top_logprobs: onlyZero('log probabilities are not translated from Gemini'),
  modalities: onlyValue(['text'], 'only text answers are translated from Gemini'),
  service_tier: {
    acceptWhen: (value) => value === 'auto' || value === 'default',
    why: 'Gemini has no OpenAI service tiers',
  },
  verbosity: onlyValue('medium', 'Gemini has no verbosity setting'),
};

/**
 * Translates an OpenAI chat completion request into a Gemini `generateContent` request.
 *
 * - system and developer messages → `systemInstruction`; assistant → role `model`; images,
 *   audio and files → `inlineData` / `fileData`; tool calls → `functionCall` parts; tool
 *   messages → `functionResponse` parts.
 * - `max_completion_tokens` / `max_tokens` → `maxOutputTokens`; `stop` → `stopSequences`;
 *   `n` → `candidateCount`; temperature, `top_p`, penalties and `seed` → their Gemini names;
 *   `reasoning_effort` → a thinking budget (`none` / `minimal` → 0).
 * - tools → `functionDeclarations` (`parametersJsonSchema`); `tool_choice` → the function
 *   calling mode (`required` → `ANY`, a named function → `ANY` limited to it).
 * - `response_format` → `responseMimeType: application/json` (+ `responseJsonSchema`).
 *
 * @throws TranslationException naming the first field Gemini cannot express.
 */
export function openAiChatToGemini(
  body: unknown,
  options: OpenAiToGeminiOptions = {},
): GeminiTranslation {
  const request = parseRequest(OpenAiChatRequestSchema, body);
  assertTranslatableFields(request, FIELDS, TARGET);
  const { systemParts, contents } = openAiMessagesToGemini(request.messages);
  const out: GeminiRequestOut = { contents };
  if (systemParts.length > 0) out.systemInstruction = { parts: systemParts };
  applyTools(request, out);
  const generationConfig = generationConfigOf(request, options);
  if (Object.keys(generationConfig).length > 0) out.generationConfig = generationConfig;

  return {
    body: out,
    model: request.model,
    stream: request.stream === true,
    context: { model: request.model, includeUsage: request.stream_options?.include_usage === true },
  };
}

function applyTools(request: OpenAiChatRequest, out: GeminiRequestOut): void {
  const declarations = (request.tools ?? []).map((tool, index) => {
    const parsed = OpenAiFunctionToolSchema.safeParse(tool);
    if (!parsed.success) {
      throw TranslationException.unsupported(
        `tools.${index}`,
        TARGET,
        'only function tools translate',
      );
    }
    const { name, description, parameters } = parsed.data.function;

    return {
      name,
      ...(description ? { description } : {}),
      ...(parameters ? { parametersJsonSchema: parameters } : {}),
    };
  });
  if (declarations.length === 0) return;
  out.tools = [{ functionDeclarations: declarations }];
  const toolConfig = toolConfigOf(request.tool_choice);
  if (toolConfig) out.toolConfig = toolConfig;
}

function toolConfigOf(choice: OpenAiChatRequest['tool_choice']): GeminiToolConfigOut | null {
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (typeof choice === 'object' && choice !== null) {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }

  return null;
}

function generationConfigOf(
  request: OpenAiChatRequest,
  options: OpenAiToGeminiOptions,
): GeminiGenerationConfigOut {
  const thinkingBudget = options.thinkingBudget ?? thinkingBudgetOf(request.reasoning_effort);
  const config: GeminiGenerationConfigOut = {
    ...limitsOf(request),
    ...samplingOf(request, options),
    thinkingConfig: thinkingBudget === undefined ? undefined : { thinkingBudget },
  };
  applyResponseFormat(request, config);

  return withoutUndefined(config);
}

/** How much and how many: output tokens, stop sequences, candidates. */
function limitsOf(request: OpenAiChatRequest): GeminiGenerationConfigOut {
  const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);

  return {
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    stopSequences: stops.length > 0 ? stops : undefined,
    candidateCount: request.n != null && request.n > 1 ? request.n : undefined,
  };
}

/** How to sample: temperature, nucleus, top-k, penalties, seed. */
function samplingOf(
  request: OpenAiChatRequest,
  options: OpenAiToGeminiOptions,
): GeminiGenerationConfigOut {
  return {
    temperature: request.temperature ?? undefined,
    topP: request.top_p ?? undefined,
    topK: options.topK ?? topKField(request.top_k),
    presencePenalty: request.presence_penalty ?? undefined,
    frequencyPenalty: request.frequency_penalty ?? undefined,
    seed: request.seed ?? undefined,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function topKField(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new TranslationException(
    'top_k',
    "Invalid value for 'top_k': expected a positive integer.",
  );
}

function applyResponseFormat(request: OpenAiChatRequest, config: GeminiGenerationConfigOut): void {
  const format = request.response_format;
  if (!format || format.type === 'text') return;
  config.responseMimeType = 'application/json';
  if (format.type === 'json_schema' && format.json_schema.schema) {
    config.responseJsonSchema = format.json_schema.schema;
  }
}

function thinkingBudgetOf(effort: OpenAiChatRequest['reasoning_effort']): number | undefined {
  if (effort === 'none' || effort === 'minimal') return 0;

  return isThinkingEffort(effort) ? THINKING_BUDGET[effort] : undefined;
}
