import { ServerResponse } from 'node:http';
import { once } from 'node:events';

import { SseEvent, SseParser } from '@xai/providers';
import { Usage } from '@xai/events';

import { readUsage } from '../audit/usage-details';

/** How a relayed stream ended. */
export interface RelayOutcome {
  usage: Usage | null;
  /** Set when the upstream stream broke after the first byte. */
  error?: string;
  /** What broke it, for key health. */
  cause?: unknown;
}

/** How {@link relaySse} relays. */
export interface RelayOptions {
  hideUsageChunk: boolean;
  requestId: string;
  /** Follows usage in a protocol other than OpenAI's (an Anthropic pass-through stream). */
  usage?: { observe(event: SseEvent): void; readonly usage: Usage | null };
  /** Called after each write to the client (keep-alive bookkeeping). */
  onWrite?: () => void;
}

/**
 * Relays an upstream SSE stream to the client event by event, as each arrives. Reads the usage
 * chunk for metering, and drops it when the router asked for it on the client's behalf. If the
 * upstream breaks mid-way, the client gets the events already sent followed by an error event,
 * never a silent truncation.
 */
export async function relaySse(
  body: AsyncIterable<Buffer | Uint8Array>,
  client: ServerResponse,
  options: RelayOptions,
): Promise<RelayOutcome> {
  const parser = new SseParser();
  const outcome: RelayOutcome = { usage: null };
  try {
    for await (const chunk of body) {
      await writeEvents(parser.push(chunk as Buffer), client, outcome, options);
    }
    await writeEvents(parser.end(), client, outcome, options);
  } catch (error) {
    if (client.destroyed) throw error;
    outcome.error = error instanceof Error ? error.message : 'stream failed';
    outcome.cause = error;
    await write(client, errorEvent(options.requestId));
  }
  client.end();

  return outcome;
}

async function writeEvents(
  events: SseEvent[],
  client: ServerResponse,
  outcome: RelayOutcome,
  options: RelayOptions,
): Promise<void> {
  for (const event of events) {
    if (options.usage) {
      options.usage.observe(event);
      outcome.usage = options.usage.usage;
    } else if (event.data !== '[DONE]') {
      const chunk = parseChunk(event.data);
      const usage = chunk ? readUsage(chunk) : null;
      if (usage) outcome.usage = usage;
      if (usage && options.hideUsageChunk && isUsageOnly(chunk)) continue;
    }
    await write(client, serialise(event));
    options.onWrite?.();
  }
}

function parseChunk(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);

    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isUsageOnly(chunk: Record<string, unknown> | undefined): boolean {
  return Array.isArray(chunk?.choices) && chunk.choices.length === 0;
}

function serialise(event: SseEvent): string {
  const lines = event.event === 'message' ? [] : [`event: ${event.event}`];
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  for (const line of event.data.split('\n')) lines.push(`data: ${line}`);

  return `${lines.join('\n')}\n\n`;
}

function errorEvent(requestId: string): string {
  const error = {
    error: {
      message: 'The provider stream ended unexpectedly.',
      type: 'api_error',
      code: 'upstream_stream_error',
      param: null,
      request_id: requestId,
    },
  };

  return `data: ${JSON.stringify(error)}\n\n`;
}

async function write(client: ServerResponse, text: string): Promise<void> {
  if (client.destroyed) throw new Error('client closed');
  if (!client.write(text)) await Promise.race([once(client, 'drain'), once(client, 'close')]);
}
