import {
  MockConversation,
  MockToolChoice,
  MockToolResult,
  contentText,
} from '../model/mock-conversation';
import { ChatCompletionRequest } from './openai-requests';

type Message = ChatCompletionRequest['messages'][number];

/** Reduces an OpenAI chat completion request to what the mock "model" looks at. */
export function openAiConversation(request: ChatCompletionRequest): MockConversation {
  const messages = request.messages;

  return {
    model: request.model,
    messageCount: messages.length,
    promptText: messages.map((message) => contentText(message.content)).join(''),
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? null,
    stopSequences: typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []),
    tools: (request.tools ?? []).map((tool) => ({
      name: tool.function.name,
      schema: tool.function.parameters,
    })),
    toolChoice: toolChoice(request.tool_choice),
    parallelToolCalls: request.parallel_tool_calls !== false,
    toolResults: trailingToolResults(messages),
    endsWithUser: messages.at(-1)?.role === 'user',
    json: jsonWish(request.response_format),
  };
}

function toolChoice(choice: ChatCompletionRequest['tool_choice']): MockToolChoice {
  if (choice === 'none') return { kind: 'none' };
  if (choice === 'required') return { kind: 'required' };
  if (typeof choice === 'object' && choice !== null) {
    return { kind: 'named', name: choice.function.name };
  }

  return { kind: 'auto' };
}

/** The tool messages ending the conversation, named after the calls they answer. */
function trailingToolResults(messages: Message[]): MockToolResult[] {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const call of toolCallsOf(message)) names.set(call.id, call.name);
  }
  const results: MockToolResult[] = [];
  for (let index = messages.length - 1; index >= 0 && messages[index].role === 'tool'; index--) {
    const message = messages[index];
    const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
    results.unshift({ name: names.get(id) ?? null, content: contentText(message.content) });
  }

  return results;
}

function toolCallsOf(message: Message): { id: string; name: string }[] {
  if (message.role !== 'assistant' || !Array.isArray(message.tool_calls)) return [];

  return message.tool_calls.flatMap((call: unknown) => {
    if (typeof call !== 'object' || call === null || !('id' in call) || !('function' in call)) {
      return [];
    }
    const fn = call.function;
    const name = typeof fn === 'object' && fn !== null && 'name' in fn ? fn.name : undefined;

    return typeof call.id === 'string' && typeof name === 'string' ? [{ id: call.id, name }] : [];
  });
}

function jsonWish(format: ChatCompletionRequest['response_format']): MockConversation['json'] {
  if (!format || format.type === 'text') return null;
  if (format.type === 'json_schema') return format.json_schema?.schema ?? 'any';

  return 'any';
}
