import { MockAnswer } from '../exchange/answer-writer';
import { openAiError } from './openai-error';
import { MockResponseStore } from './response-store';

const json = (status: number, body: unknown): MockAnswer => ({ kind: 'json', status, body });

/** Who asks about which stored response. */
export interface StoredResponseQuery {
  store: MockResponseStore;
  apiKey: string;
  id: string;
}

/** `GET /v1/responses/{id}`: the stored response, or OpenAI's 404. */
export function answerStoredResponse({ store, apiKey, id }: StoredResponseQuery): MockAnswer {
  const stored = store.find(apiKey, id);

  return stored ? json(200, stored.response) : notFound(id);
}

/** `DELETE /v1/responses/{id}`: OpenAI's deletion object, or its 404. */
export function answerDeletedResponse({ store, apiKey, id }: StoredResponseQuery): MockAnswer {
  if (!store.delete(apiKey, id)) return notFound(id);

  return json(200, { id, object: 'response.deleted', deleted: true });
}

/** `GET /v1/responses/{id}/input_items`: the items of its input, as one page of a list. */
export function answerInputItems(
  query: StoredResponseQuery,
  order: string | undefined,
): MockAnswer {
  const stored = query.store.find(query.apiKey, query.id);
  if (!stored) return notFound(query.id);
  // OpenAI lists the newest item first unless `order=asc`.
  const data = order === 'asc' ? [...stored.input] : [...stored.input].reverse();

  return json(200, {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: false,
  });
}

/**
 * `POST /v1/responses/{id}/cancel`: only a background response can be cancelled. The mock
 * finishes background responses at once, so a cancel finds it finished and returns it as it is.
 */
export function answerCancelledResponse({ store, apiKey, id }: StoredResponseQuery): MockAnswer {
  const stored = store.find(apiKey, id);
  if (!stored) return notFound(id);
  if (stored.response.background !== true) {
    return json(
      400,
      openAiError('Only responses created with background=true can be cancelled.', undefined, 'id'),
    );
  }

  return json(200, stored.response);
}

function notFound(id: string): MockAnswer {
  return json(
    404,
    openAiError(`Response with id '${id}' not found.`, 'invalid_request_error', 'response_id'),
  );
}
