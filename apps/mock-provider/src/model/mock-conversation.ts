/**
 * A chat request of any protocol, reduced to what the mock "model" looks at. Each dialect
 * (OpenAI, Anthropic, Gemini) builds one from its own request shape.
 */
export interface MockConversation {
  model: string;
  /** Messages (turns) in the request, the system prompt not counted. */
  messageCount: number;
  /** All prompt text joined, for hashing and token counting. */
  promptText: string;
  /** The caller's output limit, if any. */
  maxTokens: number | null;
  stopSequences: string[];
  tools: MockTool[];
  toolChoice: MockToolChoice;
  /** False when the caller asked for at most one tool call. */
  parallelToolCalls: boolean;
  /** Tool results carried by the last turn (a follow-up after tool calls). */
  toolResults: MockToolResult[];
  /** Whether the last turn is the user's (and not, say, a prefilled assistant turn). */
  endsWithUser: boolean;
  /** JSON output asked for: a JSON schema, or `'any'` for plain JSON mode. */
  json: Record<string, unknown> | 'any' | null;
}

/** A tool the caller offers: its name and the JSON schema of its arguments. */
export interface MockTool {
  name: string;
  schema: unknown;
}

/** How the caller lets the model use tools. */
export type MockToolChoice =
  { kind: 'auto' } | { kind: 'none' } | { kind: 'required' } | { kind: 'named'; name: string };

/** The result of an earlier tool call, sent back by the caller. */
export interface MockToolResult {
  /** The tool's name, when the protocol (or the earlier call) says it. */
  name: string | null;
  content: string;
}

/** The text of content given as a string, as text parts, or as anything else (JSON). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);

  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? part.text
        : JSON.stringify(part),
    )
    .join('');
}
