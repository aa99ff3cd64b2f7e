import { MockConversation, MockTool } from './mock-conversation';
import { sampleFromSchema } from './schema-sample';
import { fnv1a, stableHexId, wordFor } from './words';

const WORD_COUNT = 5;
const JSON_PIECE_LENGTH = 8;

/** Why a text answer ended. */
export type MockStop = 'end' | 'length' | 'stop_sequence';

/** A text answer, in the pieces it is streamed in (one completion token each). */
export interface MockTextTurn {
  kind: 'text';
  content: string;
  pieces: string[];
  stop: MockStop;
  /** The stop sequence that ended the answer, when `stop` is `stop_sequence`. */
  stopSequence: string | null;
  promptTokens: number;
  completionTokens: number;
}

/** An answer that calls tools instead of talking. */
export interface MockToolTurn {
  kind: 'tools';
  calls: MockToolCall[];
  promptTokens: number;
  completionTokens: number;
}

/** One tool call, with deterministic arguments that fit the tool's schema. */
export interface MockToolCall {
  /** 24 hex digits, stable for the same request; dialects add their own prefix. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** The arguments as JSON text. */
  json: string;
}

export type MockTurn = MockTextTurn | MockToolTurn;

/**
 * What the mock "model" answers; a pure function of the conversation.
 *
 * - Tools are offered, tool choice is not `none` and the last turn is a user turn without tool
 *   results: it calls tools, in parallel — the named tool when the choice names one, else the
 *   first two tools (one when parallel calls are off or only one tool exists).
 * - The last turn carries tool results: `Mock reply using <N> tool result(s) for <model>:
 *   <name> → <content>; …`.
 * - JSON output asked for: a JSON value fitting the schema (`{"reply": …}` without one).
 * - Otherwise `Mock reply to <N> message(s) for <model>:` and five words picked by a hash of
 *   the prompt.
 *
 * Text stops before the first stop sequence it contains (`stop_sequence`) and at the output
 * limit (`length`). Prompt tokens are about one per four characters plus three per message.
 */
export function mockTurn(conversation: MockConversation): MockTurn {
  const promptTokens =
    Math.ceil(conversation.promptText.length / 4) + 3 * conversation.messageCount;
  if (callsTools(conversation)) return toolTurn(conversation, promptTokens);

  return textTurn(conversation, promptTokens);
}

function callsTools(conversation: MockConversation): boolean {
  return (
    conversation.tools.length > 0 &&
    conversation.toolChoice.kind !== 'none' &&
    conversation.toolResults.length === 0 &&
    conversation.endsWithUser
  );
}

function toolTurn(conversation: MockConversation, promptTokens: number): MockToolTurn {
  const choice = conversation.toolChoice;
  const named =
    choice.kind === 'named'
      ? conversation.tools.find((tool) => tool.name === choice.name)
      : undefined;
  const count = conversation.parallelToolCalls ? 2 : 1;
  const tools = named ? [named] : conversation.tools.slice(0, count);
  const calls = tools.map((tool, index) => toolCall(conversation, tool, index));
  const completionTokens = calls.reduce(
    (sum, call) => sum + Math.ceil(call.json.length / 4) + 3,
    0,
  );

  return { kind: 'tools', calls, promptTokens, completionTokens };
}

function toolCall(conversation: MockConversation, tool: MockTool, index: number): MockToolCall {
  const seed = fnv1a(`${conversation.promptText}|${tool.name}|${index}`);
  const sampled = sampleFromSchema(tool.schema ?? { type: 'object' }, seed, tool.name);
  const args =
    typeof sampled === 'object' && sampled !== null && !Array.isArray(sampled)
      ? (sampled as Record<string, unknown>)
      : {};

  return {
    id: stableHexId(`${conversation.promptText}|${tool.name}|${index}`),
    name: tool.name,
    arguments: args,
    json: JSON.stringify(args),
  };
}

function textTurn(conversation: MockConversation, promptTokens: number): MockTextTurn {
  const full = fullText(conversation);
  const splitPieces = conversation.json ? jsonPieces : wordPieces;
  const stopAt = firstStop(full, conversation.stopSequences);
  const content = stopAt ? full.slice(0, stopAt.index) : full;
  const allPieces = splitPieces(content);
  const pieces = allPieces.slice(0, conversation.maxTokens ?? Infinity);
  const truncated = pieces.length < allPieces.length;
  const stop: MockStop = truncated ? 'length' : stopAt ? 'stop_sequence' : 'end';

  return {
    kind: 'text',
    content: pieces.join(''),
    pieces,
    stop,
    stopSequence: stop === 'stop_sequence' && stopAt ? stopAt.sequence : null,
    promptTokens,
    completionTokens: pieces.length,
  };
}

function fullText(conversation: MockConversation): string {
  const seed = fnv1a(conversation.promptText);
  if (conversation.toolResults.length > 0) {
    const results = conversation.toolResults.map(
      (result) => `${result.name ?? 'tool'} → ${result.content}`,
    );

    return `Mock reply using ${results.length} tool result(s) for ${conversation.model}: ${results.join('; ')}.`;
  }
  if (conversation.json === 'any') return JSON.stringify({ reply: words(seed).join(' ') });
  if (conversation.json) return JSON.stringify(sampleFromSchema(conversation.json, seed, 'reply'));

  return `Mock reply to ${conversation.messageCount} message(s) for ${conversation.model}: ${words(seed).join(' ')}.`;
}

function words(seed: number): string[] {
  return Array.from({ length: WORD_COUNT }, (_, index) => wordFor(seed, index));
}

function wordPieces(text: string): string[] {
  return text === '' ? [] : text.split(/(?= )/);
}

function jsonPieces(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += JSON_PIECE_LENGTH) {
    pieces.push(text.slice(start, start + JSON_PIECE_LENGTH));
  }

  return pieces;
}

function firstStop(text: string, sequences: string[]): { index: number; sequence: string } | null {
  let first: { index: number; sequence: string } | null = null;
  for (const sequence of sequences) {
    const index = sequence === '' ? -1 : text.indexOf(sequence);
    if (index !== -1 && (first === null || index < first.index)) first = { index, sequence };
  }

  return first;
}
