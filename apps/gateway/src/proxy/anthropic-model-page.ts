import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { ModelEntry } from './provider-model-list';

/** Anthropic's paging of `GET /v1/models`: `limit` (1 to 1000, 20 by default), `after_id`, `before_id`. */
export interface AnthropicPageQuery {
  limit?: string;
  after_id?: string;
  before_id?: string;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * One page of the caller's models in Anthropic's list shape: at most `limit` models after
 * `after_id`, or the last `limit` before `before_id`; `has_more` says whether more lie beyond
 * the page in the direction paged. An id not in the list gives an empty page.
 *
 * @throws GatewayException (400) for a bad `limit`, or both cursors at once.
 */
export function anthropicModelPage(models: ModelEntry[], query: AnthropicPageQuery): object {
  const limit = pageLimit(query.limit);
  if (query.after_id !== undefined && query.before_id !== undefined) {
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      'Send after_id or before_id, not both.',
      { param: 'before_id' },
    );
  }
  let page: ModelEntry[];
  let hasMore: boolean;
  if (query.before_id !== undefined) {
    const end = models.findIndex((model) => model.id === query.before_id);
    const start = Math.max(0, end - limit);
    page = end === -1 ? [] : models.slice(start, end);
    hasMore = end !== -1 && start > 0;
  } else {
    const after = query.after_id;
    const start = after === undefined ? 0 : models.findIndex((model) => model.id === after) + 1;
    page = after !== undefined && start === 0 ? [] : models.slice(start, start + limit);
    hasMore = page.length > 0 && start + limit < models.length;
  }

  return {
    data: page.map(anthropicModel),
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}

/** One model in Anthropic's shape. */
export function anthropicModel(model: ModelEntry): object {
  return {
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
  };
}

function pageLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_LIMIT) {
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      `limit must be an integer from 1 to ${MAX_LIMIT}.`,
      { param: 'limit' },
    );
  }

  return limit;
}
