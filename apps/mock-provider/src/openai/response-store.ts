import { randomUUID } from 'node:crypto';

/** An item of a response's input or output, as OpenAI lists it (with an `id`). */
export type StoredItem = Record<string, unknown> & { id: string; type: string };

/** A response the mock keeps, as `GET /v1/responses/{id}` returns it, and its input. */
export interface StoredResponse {
  response: Record<string, unknown> & { id: string };
  /** The request's own input items (what `input_items` lists). */
  input: StoredItem[];
  /** Every item the model read: the chain of earlier responses, then `input`. */
  context: Array<Record<string, unknown>>;
}

/** Responses kept per mock instance, oldest dropped first, so a benchmark cannot exhaust it. */
const CAPACITY = 10_000;

/**
 * The responses the mock's OpenAI mode stores (`store` is true unless the request says
 * false). As at OpenAI, where a response belongs to the account that made it, each is kept
 * under the API key that created it: another key asking for it gets a 404.
 */
export class MockResponseStore {
  private readonly responses = new Map<string, StoredResponse>();

  /** The response `id` made with `apiKey`, if kept. */
  find(apiKey: string, id: string): StoredResponse | undefined {
    return this.responses.get(slot(apiKey, id));
  }

  /** Keeps (or replaces) a response made with `apiKey`. */
  keep(apiKey: string, stored: StoredResponse): void {
    const key = slot(apiKey, stored.response.id);
    this.responses.delete(key);
    this.responses.set(key, stored);
    if (this.responses.size > CAPACITY) {
      const oldest = this.responses.keys().next().value;
      if (oldest !== undefined) this.responses.delete(oldest);
    }
  }

  /** Forgets a response; false when there was none. */
  delete(apiKey: string, id: string): boolean {
    return this.responses.delete(slot(apiKey, id));
  }
}

function slot(apiKey: string, id: string): string {
  return `${apiKey}\u0000${id}`;
}

/** A request's `input` as the items OpenAI lists for it, each with an id. */
export function inputItemsOf(input: string | Array<Record<string, unknown>>): StoredItem[] {
  const items = typeof input === 'string' ? [{ role: 'user', content: input }] : input;

  return items.map((item) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const id = typeof item.id === 'string' ? item.id : `${prefixOf(type)}${generated()}`;
    if (type !== 'message' || typeof item.content !== 'string') return { ...item, id, type };
    const content = [{ type: 'input_text', text: item.content }];

    return { ...item, id, type, status: 'completed', content };
  });
}

function prefixOf(type: string): string {
  if (type === 'function_call_output') return 'fco_';
  if (type === 'function_call') return 'fc_';

  return 'msg_';
}

function generated(): string {
  return randomUUID().replaceAll('-', '');
}
