import type { OpenAiChunkFields, OpenAiUsageFields } from '../protocols/openai-chat-output';
import type {
  ResponsesFunctionCallItemOut,
  ResponsesMessageItemOut,
  ResponsesOutputItemOut,
  ResponsesStreamEventOut,
} from '../protocols/openai-responses-output';
import {
  endingOf,
  messageItem,
  outputText,
  responseObject,
  responsesUsage,
} from './chat-to-responses.response';
import type { ResponsesAnswerContext } from './responses-to-chat.request';
import { generatedId, nowInSeconds } from './translation-helpers';

type ChunkToolCall = NonNullable<
  OpenAiChunkFields['choices'][number]['delta']['tool_calls']
>[number];

/** The open assistant message: its place in `output` and the indexes of its parts. */
interface OpenMessage {
  outputIndex: number;
  item: ResponsesMessageItemOut;
  textPart: number | null;
  refusalPart: number | null;
}

const NO_USAGE: OpenAiUsageFields = { prompt_tokens: 0, completion_tokens: 0 };

/**
 * Turns OpenAI chat completion chunks (as the Anthropic and Gemini stream translators write
 * them) into Responses stream events: `response.created` and `response.in_progress` on the
 * first chunk; content as an assistant message (`output_item.added`, `content_part.added`,
 * `output_text.delta`s); each tool call, by its chunk `index`, as its own `function_call` item
 * whose arguments arrive as `function_call_arguments.delta`s, so parallel calls keep distinct
 * items and `call_id`s. At the end every item is closed (`….done` events) and
 * `response.completed` (or `response.incomplete`) carries the whole response and its usage.
 * Every event has the next `sequence_number`.
 */
export class ChatToResponsesStream {
  private started = false;
  private readonly id = generatedId('resp_');
  private readonly createdAt = nowInSeconds();
  private model: string;
  private sequence = 0;
  private readonly output: ResponsesOutputItemOut[] = [];
  private message: OpenMessage | null = null;
  private readonly calls = new Map<number, number>();
  private finishReason: string | null = null;
  private upstreamUsage: OpenAiUsageFields | null = null;
  private state: 'open' | 'finished' | 'failed' = 'open';

  constructor(private readonly context: ResponsesAnswerContext) {
    this.model = context.model;
  }

  /** True once the stream ended properly or with `response.failed`. */
  get settled(): boolean {
    return this.state !== 'open';
  }

  /** Translates one chunk. */
  pushChunk(chunk: OpenAiChunkFields): ResponsesStreamEventOut[] {
    if (this.state !== 'open') return [];
    const events = this.start(chunk);
    if (chunk.usage) this.upstreamUsage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return events;
    const delta = choice.delta;
    if (delta.content) events.push(...this.text('text', delta.content));
    if (delta.refusal) events.push(...this.text('refusal', delta.refusal));
    for (const call of delta.tool_calls ?? []) events.push(...this.toolCall(call));
    if (choice.finish_reason) this.finishReason = choice.finish_reason;

    return events;
  }

  /** Ends the stream after the last chunk; a stream without a finish reason ended early. */
  end(): ResponsesStreamEventOut[] {
    if (this.state !== 'open') return [];
    if (!this.started || this.finishReason === null) {
      return this.fail('The provider ended the stream early.');
    }
    this.state = 'finished';
    const ending = endingOf(this.finishReason);
    const itemStatus = ending.status === 'completed' ? 'completed' : 'incomplete';
    const events = this.output.flatMap((_, index) => this.closeItem(index, itemStatus));
    const response = this.response(ending.status, {
      incompleteDetails: ending.incomplete_details,
      usage: responsesUsage(this.upstreamUsage ?? NO_USAGE),
    });
    events.push(this.event(`response.${ending.status}`, { response }));

    return events;
  }

  /**
   * Ends the stream as OpenAI ends a failed one (after `response.created` if none was sent):
   * an `error` event, whose nested `error` object makes the OpenAI SDKs raise it, then
   * `response.failed`.
   */
  fail(message: string): ResponsesStreamEventOut[] {
    if (this.state !== 'open') return [];
    const events = this.started ? [] : this.start({ id: '', model: '', choices: [] });
    this.state = 'failed';
    const error = { code: 'server_error', message };
    const detail = { type: 'server_error', ...error, param: null };
    events.push(this.event('error', { ...error, param: null, error: detail }));
    events.push(this.event('response.failed', { response: this.response('failed', { error }) }));

    return events;
  }

  private start(chunk: OpenAiChunkFields): ResponsesStreamEventOut[] {
    if (this.started) return [];
    this.started = true;
    if (chunk.model) this.model = chunk.model;
    const response = this.response('in_progress');

    return [
      this.event('response.created', { response }),
      this.event('response.in_progress', { response }),
    ];
  }

  private text(kind: 'text' | 'refusal', delta: string): ResponsesStreamEventOut[] {
    const events: ResponsesStreamEventOut[] = [];
    const message = this.message ?? this.openMessage(events);
    const partKey = kind === 'text' ? 'textPart' : 'refusalPart';
    let contentIndex = message[partKey];
    if (contentIndex === null) {
      const part = kind === 'text' ? outputText('') : { type: 'refusal' as const, refusal: '' };
      contentIndex = message.item.content.push(part) - 1;
      message[partKey] = contentIndex;
      events.push(
        this.event('response.content_part.added', {
          ...this.where(message),
          content_index: contentIndex,
          part,
        }),
      );
    }
    const part = message.item.content[contentIndex];
    if (part.type === 'output_text') part.text += delta;
    else part.refusal += delta;
    const type = kind === 'text' ? 'response.output_text.delta' : 'response.refusal.delta';
    const extra = kind === 'text' ? { logprobs: [] } : {};
    events.push(
      this.event(type, { ...this.where(message), content_index: contentIndex, delta, ...extra }),
    );

    return events;
  }

  private openMessage(events: ResponsesStreamEventOut[]): OpenMessage {
    const item = messageItem('in_progress');
    const outputIndex = this.output.push(item) - 1;
    this.message = { outputIndex, item, textPart: null, refusalPart: null };
    events.push(this.itemAdded(outputIndex));

    return this.message;
  }

  private toolCall(call: ChunkToolCall): ResponsesStreamEventOut[] {
    const events: ResponsesStreamEventOut[] = [];
    let outputIndex = this.calls.get(call.index);
    if (outputIndex === undefined) {
      const item: ResponsesFunctionCallItemOut = {
        type: 'function_call',
        id: generatedId('fc_'),
        call_id: call.id || generatedId('call_'),
        name: call.function?.name ?? '',
        arguments: '',
        status: 'in_progress',
      };
      outputIndex = this.output.push(item) - 1;
      this.calls.set(call.index, outputIndex);
      events.push(this.itemAdded(outputIndex));
    }
    const item = this.output[outputIndex] as ResponsesFunctionCallItemOut;
    const delta = call.function?.arguments;
    if (delta) {
      item.arguments += delta;
      events.push(
        this.event('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: outputIndex,
          delta,
        }),
      );
    }

    return events;
  }

  private closeItem(
    outputIndex: number,
    status: 'completed' | 'incomplete',
  ): ResponsesStreamEventOut[] {
    const item = this.output[outputIndex];
    const events: ResponsesStreamEventOut[] = [];
    const where = { item_id: item.id, output_index: outputIndex };
    if (item.type === 'function_call') {
      item.status = 'completed';
      events.push(
        this.event('response.function_call_arguments.done', {
          ...where,
          name: item.name,
          arguments: item.arguments,
        }),
      );
    } else {
      item.status = status;
      item.content.forEach((part, contentIndex) => {
        const at = { ...where, content_index: contentIndex };
        events.push(
          part.type === 'output_text'
            ? this.event('response.output_text.done', { ...at, text: part.text, logprobs: [] })
            : this.event('response.refusal.done', { ...at, refusal: part.refusal }),
          this.event('response.content_part.done', { ...at, part }),
        );
      });
    }
    events.push(this.event('response.output_item.done', { output_index: outputIndex, item }));

    return events;
  }

  private itemAdded(outputIndex: number): ResponsesStreamEventOut {
    return this.event('response.output_item.added', {
      output_index: outputIndex,
      item: this.output[outputIndex],
    });
  }

  private where(message: OpenMessage): { item_id: string; output_index: number } {
    return { item_id: message.item.id, output_index: message.outputIndex };
  }

  private response(
    status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
    extra: {
      incompleteDetails?: ReturnType<typeof endingOf>['incomplete_details'];
      usage?: ReturnType<typeof responsesUsage>;
      error?: { code: string; message: string };
    } = {},
  ): ReturnType<typeof responseObject> {
    return responseObject(this.context, {
      id: this.id,
      createdAt: this.createdAt,
      model: this.model,
      status,
      incompleteDetails: extra.incompleteDetails,
      error: extra.error,
      output: this.output,
      usage: extra.usage ?? null,
    });
  }

  /** One event; its payload is copied, since items keep changing as the stream goes on. */
  private event(type: string, fields: Record<string, unknown>): ResponsesStreamEventOut {
    return structuredClone({ type, sequence_number: this.sequence++, ...fields });
  }
}
