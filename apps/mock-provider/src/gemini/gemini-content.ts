import { MockTurn } from '../model/mock-turn';

/** Who answered, how many candidates, and how much the model "thought". */
export interface GeminiMeta {
  responseId: string;
  model: string;
  candidateCount: number;
  thoughtsTokens: number;
}

const PIECES_PER_EVENT = 3;

/** A deterministic thought signature, as thinking models attach to function calls. */
export function mockThoughtSignature(callId: string): string {
  return Buffer.from(`mock-thought:${callId}`).toString('base64');
}

function finishReason(turn: MockTurn): string {
  return turn.kind === 'text' && turn.stop === 'length' ? 'MAX_TOKENS' : 'STOP';
}

function usageMetadata(meta: GeminiMeta, turn: MockTurn) {
  const candidatesTokenCount = turn.completionTokens * meta.candidateCount;

  return {
    promptTokenCount: turn.promptTokens,
    candidatesTokenCount,
    ...(meta.thoughtsTokens > 0 ? { thoughtsTokenCount: meta.thoughtsTokens } : {}),
    totalTokenCount: turn.promptTokens + candidatesTokenCount + meta.thoughtsTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: turn.promptTokens }],
  };
}

function parts(turn: MockTurn): Record<string, unknown>[] {
  if (turn.kind === 'text') return turn.content === '' ? [] : [{ text: turn.content }];

  return turn.calls.map((call, index) => ({
    functionCall: { name: call.name, args: call.arguments },
    // Gemini puts the signature on the first call of a parallel set only.
    ...(index === 0 ? { thoughtSignature: mockThoughtSignature(call.id) } : {}),
  }));
}

function response(
  meta: GeminiMeta,
  candidateParts: Record<string, unknown>[],
  finish: string | null,
  usage: unknown,
) {
  return {
    candidates: Array.from({ length: meta.candidateCount }, (_, index) => ({
      content: { role: 'model', parts: candidateParts },
      ...(finish ? { finishReason: finish } : {}),
      index,
    })),
    usageMetadata: usage,
    modelVersion: meta.model,
    responseId: meta.responseId,
  };
}

/** A complete `GenerateContentResponse`. */
export function generateContentResponse(meta: GeminiMeta, turn: MockTurn) {
  return response(meta, parts(turn), finishReason(turn), usageMetadata(meta, turn));
}

/**
 * The responses of a streamed answer: text in events of a few pieces each (usage so far on
 * each), the last one with the finish reason and the full usage; function calls arrive whole,
 * together, in one event.
 */
export function streamedResponses(meta: GeminiMeta, turn: MockTurn): unknown[] {
  const finalUsage = usageMetadata(meta, turn);
  if (turn.kind === 'tools' || turn.pieces.length === 0) {
    return [generateContentResponse(meta, turn)];
  }
  const groups: string[] = [];
  for (let start = 0; start < turn.pieces.length; start += PIECES_PER_EVENT) {
    groups.push(turn.pieces.slice(start, start + PIECES_PER_EVENT).join(''));
  }
  const promptOnly = { promptTokenCount: turn.promptTokens, totalTokenCount: turn.promptTokens };

  return groups.map((text, index) => {
    const last = index === groups.length - 1;

    return response(
      meta,
      [{ text }],
      last ? finishReason(turn) : null,
      last ? finalUsage : promptOnly,
    );
  });
}
