import type { GeminiContentOut, GeminiPartOut } from '../protocols/gemini-content';
import { isJsonObject } from '../protocols/json';
import type { OpenAiMessage, OpenAiUserPart } from '../protocols/openai-chat';
import { thoughtSignatureOf } from './gemini-tool-ids';
import { assertRemoteUrl, mimeTypeFromName, parseDataUrl } from './media';
import { joinedText, parseToolArguments } from './translation-helpers';
import { TranslationException } from './translation.exception';

const TARGET = 'Gemini';

/** OpenAI messages split the way Gemini wants them: a system instruction and the turns. */
export interface GeminiConversation {
  systemParts: { text: string }[];
  contents: GeminiContentOut[];
}

type AssistantMessage = Extract<OpenAiMessage, { role: 'assistant' }>;

/**
 * Converts OpenAI chat messages to Gemini contents. System and developer messages become the
 * `systemInstruction`; assistant turns have role `model`; images, audio and files become
 * `inlineData` (data: URLs) or `fileData` (http(s) URLs); tool calls become `functionCall`
 * parts (with the thought signature their id carries) and tool messages `functionResponse`
 * parts, named after the call they answer. Consecutive turns of one role merge.
 */
export function openAiMessagesToGemini(messages: readonly OpenAiMessage[]): GeminiConversation {
  const conversation: GeminiConversation = { systemParts: [], contents: [] };
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    const field = `messages.${index}`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        // One part per text part: Gemini keeps them apart, as the caller did.
        const texts = typeof message.content === 'string' ? [message.content] : message.content;
        for (const part of texts) {
          const text = typeof part === 'string' ? part : part.text;
          if (text !== '') conversation.systemParts.push({ text });
        }
        break;
      }
      case 'user':
        appendTurn(conversation.contents, 'user', userParts(message.content, field));
        break;
      case 'assistant':
        appendTurn(conversation.contents, 'model', modelParts(message, field, toolNames));
        break;
      case 'tool':
        appendTurn(conversation.contents, 'user', [functionResponse(message, field, toolNames)]);
        break;
      case 'function':
        throw TranslationException.unsupported(`${field}.role`, TARGET, "use 'tool' messages");
    }
  });

  return conversation;
}

function appendTurn(
  contents: GeminiContentOut[],
  role: 'user' | 'model',
  parts: GeminiPartOut[],
): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function userParts(content: string | OpenAiUserPart[], field: string): GeminiPartOut[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];

  return content.map((part, index) => userPart(part, `${field}.content.${index}`));
}

function userPart(part: OpenAiUserPart, field: string): GeminiPartOut {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image_url':
      return mediaPart(part.image_url.url, `${field}.image_url.url`);
    case 'input_audio':
      return {
        inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data },
      };
    case 'file':
      return filePart(part.file, `${field}.file`);
  }
}

function mediaPart(url: string, field: string): GeminiPartOut {
  const inline = parseDataUrl(url, field);
  if (inline) return { inlineData: inline };
  assertRemoteUrl(url, field);
  // Gemini needs the type of a file it fetches; only the URL's extension can tell it.
  const mimeType = mimeTypeFromName(url);
  if (!mimeType) {
    throw new TranslationException(
      field,
      `Gemini needs the image's type: in '${field}' use a data: URL or a URL ending in .png, .jpg, .webp or .gif.`,
    );
  }

  return { fileData: { fileUri: url, mimeType } };
}

function filePart(
  file: { file_data?: string; file_id?: string; filename?: string },
  field: string,
): GeminiPartOut {
  if (file.file_data === undefined) {
    throw TranslationException.unsupported(
      `${field}.file_id`,
      TARGET,
      'uploaded files live at OpenAI; send file_data',
    );
  }
  const inline = parseDataUrl(file.file_data, `${field}.file_data`);
  if (inline) return { inlineData: inline };
  const mimeType = mimeTypeFromName(file.filename ?? '');
  if (!mimeType) {
    throw new TranslationException(
      `${field}.file_data`,
      `'${field}.file_data' must be a data: URL, or 'filename' must name a known file type.`,
    );
  }

  return { inlineData: { mimeType, data: file.file_data } };
}

function modelParts(
  message: AssistantMessage,
  field: string,
  toolNames: Map<string, string>,
): GeminiPartOut[] {
  const parts: GeminiPartOut[] = [];
  const content = message.content ?? '';
  const texts =
    typeof content === 'string'
      ? [content]
      : content.map((part) => (part.type === 'text' ? part.text : part.refusal));
  if (message.refusal) texts.push(message.refusal);
  for (const text of texts) if (text !== '') parts.push({ text });
  (message.tool_calls ?? []).forEach((call, index) => {
    toolNames.set(call.id, call.function.name);
    const args = parseToolArguments(
      call.function.arguments,
      `${field}.tool_calls.${index}.function.arguments`,
    );
    const signature = thoughtSignatureOf(call.id);
    parts.push({
      functionCall: { name: call.function.name, args },
      ...(signature ? { thoughtSignature: signature } : {}),
    });
  });

  return parts;
}

function functionResponse(
  message: Extract<OpenAiMessage, { role: 'tool' }>,
  field: string,
  toolNames: Map<string, string>,
): GeminiPartOut {
  const name = toolNames.get(message.tool_call_id);
  if (name === undefined) {
    throw new TranslationException(
      `${field}.tool_call_id`,
      `'${field}.tool_call_id' answers no tool call of an earlier assistant message; Gemini needs the function's name.`,
    );
  }

  return { functionResponse: { name, response: toolResponseObject(joinedText(message.content)) } };
}

/** Gemini wants an object; a JSON object result is passed as it is, anything else wrapped. */
function toolResponseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonObject(value)) return value;
  } catch {
    // Not JSON: the result is plain text.
  }

  return { result: text };
}
