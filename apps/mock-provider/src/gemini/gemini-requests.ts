import { z } from 'zod';

import { GeminiErrorBody, geminiError } from './gemini-error';

const PartSchema = z
  .object({
    text: z.string().optional(),
    functionCall: z
      .object({ name: z.string().min(1), args: z.record(z.unknown()).optional() })
      .passthrough()
      .optional(),
    functionResponse: z
      .object({ name: z.string().min(1), response: z.record(z.unknown()) })
      .passthrough()
      .optional(),
  })
  .passthrough();

const ContentSchema = z
  .object({
    role: z.enum(['user', 'model', 'function']).optional(),
    parts: z.array(PartSchema).min(1),
  })
  .passthrough();

const FunctionDeclarationSchema = z
  .object({
    name: z.string().min(1),
    parameters: z.unknown().optional(),
    parametersJsonSchema: z.unknown().optional(),
  })
  .passthrough();

/** The fields of a `generateContent` request the mock reads; others pass unchecked. */
export const GenerateContentRequestSchema = z
  .object({
    contents: z.array(ContentSchema).min(1),
    systemInstruction: z
      .object({ parts: z.array(PartSchema) })
      .passthrough()
      .optional(),
    tools: z
      .array(
        z
          .object({ functionDeclarations: z.array(FunctionDeclarationSchema).optional() })
          .passthrough(),
      )
      .optional(),
    toolConfig: z
      .object({
        functionCallingConfig: z
          .object({
            mode: z.enum(['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED']).optional(),
            allowedFunctionNames: z.array(z.string()).optional(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    generationConfig: z
      .object({
        maxOutputTokens: z.number().int().positive().optional(),
        stopSequences: z.array(z.string()).max(5).optional(),
        candidateCount: z.number().int().min(1).max(8).optional(),
        responseMimeType: z.string().optional(),
        responseSchema: z.unknown().optional(),
        responseJsonSchema: z.unknown().optional(),
        thinkingConfig: z
          .object({ thinkingBudget: z.number().int().optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

export type GenerateContentRequest = z.infer<typeof GenerateContentRequestSchema>;
export type GeminiContent = GenerateContentRequest['contents'][number];

/**
 * Validates a request the way Gemini does: the schema, then function-calling turns (a turn
 * after one that called functions must answer with as many function responses).
 */
export function parseGeminiRequest(
  body: unknown,
): { ok: true; request: GenerateContentRequest } | { ok: false; error: GeminiErrorBody } {
  const parsed = GenerateContentRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    const message = `Invalid JSON payload received. ${field ? `'${field}': ` : ''}${issue.message}`;

    return { ok: false, error: geminiError(400, 'INVALID_ARGUMENT', message) };
  }
  const problem = functionResponseProblem(parsed.data.contents);

  return problem
    ? { ok: false, error: geminiError(400, 'INVALID_ARGUMENT', problem) }
    : { ok: true, request: parsed.data };
}

function functionResponseProblem(contents: GeminiContent[]): string | null {
  for (let index = 1; index < contents.length; index++) {
    const calls = contents[index - 1].parts.filter((part) => part.functionCall).length;
    const responses = contents[index].parts.filter((part) => part.functionResponse).length;
    if (calls > 0 && responses !== calls) {
      return `contents.${index}: the number of function response parts (${responses}) must equal the number of function call parts of the previous turn (${calls})`;
    }
  }

  return null;
}

/** The request inside a `countTokens` body (`generateContentRequest`, or the body itself). */
export function countTokensRequest(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'generateContentRequest' in body) {
    return body.generateContentRequest;
  }

  return body;
}
