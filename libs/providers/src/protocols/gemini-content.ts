import { z } from 'zod';

import { JsonObjectSchema } from './json';

/*
 * Gemini's `generateContent` / `streamGenerateContent` API (v1beta), as far as translation
 * writes requests and reads answers.
 */

/** A part of a request's content, as translators write it. */
export type GeminiPartOut =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | {
      functionCall: { name: string; args: Record<string, unknown>; id?: string };
      thoughtSignature?: string;
    }
  | { functionResponse: { name: string; response: Record<string, unknown>; id?: string } };

/** One turn of the conversation. */
export interface GeminiContentOut {
  role: 'user' | 'model';
  parts: GeminiPartOut[];
}

/** How the model may call functions. */
export interface GeminiToolConfigOut {
  functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
}

/** The generation settings translators set. */
export interface GeminiGenerationConfigOut {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  candidateCount?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: { thinkingBudget: number };
}

/** A `generateContent` request body; the model is in the URL, not here. */
export interface GeminiRequestOut {
  contents: GeminiContentOut[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: {
    functionDeclarations: {
      name: string;
      description?: string;
      parametersJsonSchema?: Record<string, unknown>;
    }[];
  }[];
  toolConfig?: GeminiToolConfigOut;
  generationConfig?: GeminiGenerationConfigOut;
}

const PartSchema = z
  .object({
    text: z.string().optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().optional(),
    functionCall: z
      .object({
        name: z.string().min(1),
        args: JsonObjectSchema.nullish(),
        id: z.string().nullish(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const UsageMetadataSchema = z
  .object({
    promptTokenCount: z.number().int().nonnegative().default(0),
    candidatesTokenCount: z.number().int().nonnegative().default(0),
    totalTokenCount: z.number().int().nonnegative().optional(),
    cachedContentTokenCount: z.number().int().nonnegative().optional(),
    thoughtsTokenCount: z.number().int().nonnegative().optional(),
    toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
  })
  .passthrough();

const CandidateSchema = z
  .object({
    index: z.number().int().nonnegative().default(0),
    content: z
      .object({ role: z.string().optional(), parts: z.array(PartSchema).default([]) })
      .passthrough()
      .optional(),
    finishReason: z.string().optional(),
  })
  .passthrough();

/** A `GenerateContentResponse`: a whole answer, or one event of a streamed one. */
export const GeminiResponseSchema = z
  .object({
    candidates: z.array(CandidateSchema).default([]),
    usageMetadata: UsageMetadataSchema.optional(),
    modelVersion: z.string().optional(),
    responseId: z.string().optional(),
    promptFeedback: z.object({ blockReason: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export type GeminiPart = z.infer<typeof PartSchema>;
export type GeminiCandidate = z.infer<typeof CandidateSchema>;
export type GeminiUsageMetadata = z.infer<typeof UsageMetadataSchema>;
export type GeminiResponse = z.infer<typeof GeminiResponseSchema>;
