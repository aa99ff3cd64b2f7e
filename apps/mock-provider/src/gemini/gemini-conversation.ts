import { MockConversation, MockToolChoice } from '../model/mock-conversation';
import { GenerateContentRequest } from './gemini-requests';

type Part = GenerateContentRequest['contents'][number]['parts'][number];

/** Reduces a Gemini `generateContent` request to what the mock "model" looks at. */
export function geminiConversation(
  model: string,
  request: GenerateContentRequest,
): MockConversation {
  const last = request.contents.at(-1);
  const config = request.generationConfig;

  return {
    model,
    messageCount: request.contents.length,
    promptText: geminiPromptText(request),
    maxTokens: config?.maxOutputTokens ?? null,
    stopSequences: config?.stopSequences ?? [],
    tools: (request.tools ?? [])
      .flatMap((tool) => tool.functionDeclarations ?? [])
      .map((declaration) => ({
        name: declaration.name,
        schema: declaration.parametersJsonSchema ?? declaration.parameters,
      })),
    toolChoice: toolChoice(request.toolConfig?.functionCallingConfig),
    parallelToolCalls: true,
    toolResults: (last?.parts ?? []).flatMap((part) =>
      part.functionResponse
        ? [
            {
              name: part.functionResponse.name,
              content: resultText(part.functionResponse.response),
            },
          ]
        : [],
    ),
    endsWithUser: last?.role !== 'model',
    json: jsonWish(config),
  };
}

/** The system instruction and every part's text (other parts as JSON), joined. */
export function geminiPromptText(request: GenerateContentRequest): string {
  const parts = [
    ...(request.systemInstruction?.parts ?? []),
    ...request.contents.flatMap((content) => content.parts),
  ];

  return parts.map(partText).join('');
}

function partText(part: Part): string {
  return typeof part.text === 'string' ? part.text : JSON.stringify(part);
}

function toolChoice(
  config: NonNullable<GenerateContentRequest['toolConfig']>['functionCallingConfig'],
): MockToolChoice {
  if (config?.mode === 'NONE') return { kind: 'none' };
  if (config?.mode !== 'ANY') return { kind: 'auto' };
  const allowed = config.allowedFunctionNames ?? [];

  return allowed.length === 1 ? { kind: 'named', name: allowed[0] } : { kind: 'required' };
}

/** A function response as text: its lone string field (`result`, `content`, …), else JSON. */
function resultText(response: Record<string, unknown>): string {
  const values = Object.values(response);

  return values.length === 1 && typeof values[0] === 'string'
    ? values[0]
    : JSON.stringify(response);
}

function jsonWish(config: GenerateContentRequest['generationConfig']): MockConversation['json'] {
  if (config?.responseMimeType !== 'application/json') return null;
  const schema = config.responseJsonSchema ?? config.responseSchema;

  return typeof schema === 'object' && schema !== null && !Array.isArray(schema)
    ? (schema as Record<string, unknown>)
    : 'any';
}
