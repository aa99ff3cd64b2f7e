import {
  MockConversation,
  MockToolChoice,
  MockToolResult,
  contentText,
} from '../model/mock-conversation';
import { AnthropicMessage, MessagesRequest, blocksOf } from './anthropic-requests';

/** Reduces an Anthropic Messages request to what the mock "model" looks at. */
export function anthropicConversation(request: MessagesRequest): MockConversation {
  const last = request.messages.at(-1);

  return {
    model: request.model,
    messageCount: request.messages.length,
    promptText: promptText(request),
    maxTokens: request.max_tokens,
    stopSequences: request.stop_sequences ?? [],
    tools: (request.tools ?? [])
      .filter((tool) => !tool.type || tool.type === 'custom')
      .map((tool) => ({ name: tool.name, schema: tool.input_schema })),
    toolChoice: toolChoice(request.tool_choice),
    parallelToolCalls: request.tool_choice?.disable_parallel_tool_use !== true,
    toolResults: toolResults(request.messages),
    endsWithUser: last?.role === 'user',
    json: request.output_config?.format?.schema ?? null,
  };
}

/** The system prompt and every message's text, joined. */
export function promptText(request: Pick<MessagesRequest, 'system' | 'messages'>): string {
  return (
    contentText(request.system ?? '') +
    request.messages.map((message) => contentText(message.content)).join('')
  );
}

function toolChoice(choice: MessagesRequest['tool_choice']): MockToolChoice {
  switch (choice?.type) {
    case 'none':
      return { kind: 'none' };
    case 'any':
      return { kind: 'required' };
    case 'tool':
      return { kind: 'named', name: choice.name ?? '' };
    case 'auto':
    case undefined:
      return { kind: 'auto' };
  }
}

/** The tool results of the last (user) turn, named after the previous turn's tool_use blocks. */
function toolResults(messages: AnthropicMessage[]): MockToolResult[] {
  const last = messages.at(-1);
  const previous = messages.at(-2);
  if (!last || last.role !== 'user') return [];
  const names = new Map<string, string>();
  for (const use of previous ? blocksOf(previous, 'tool_use') : []) {
    names.set(String(use.id), String(use.name));
  }

  return blocksOf(last, 'tool_result').map((result) => ({
    name: names.get(String(result.tool_use_id)) ?? null,
    content: contentText(result.content),
  }));
}
