import { ProviderKeyTarget, ProviderType, providerAdapter } from '@xai/providers';

/** A model in OpenAI's list shape. */
export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** One page of a provider's model list, and how to ask for the next (undefined: last page). */
export interface ModelListPage {
  models: ModelEntry[];
  next?: string;
}

/** Pages read from one provider at most: 1000 models a page is more than any provider has. */
export const MAX_MODEL_LIST_PAGES = 5;

/**
 * The URL and headers of one page of a provider's model list, through the key type's adapter:
 * OpenAI's and Anthropic's `GET /v1/models` (Anthropic pages with `limit` and `after_id`),
 * Gemini's `GET /v1beta/models` (`pageSize`, `pageToken`). Undefined for Azure, whose
 * deployments are named in the key's `Config` (see {@link configuredDeployments}).
 */
export function modelListRequest(
  type: ProviderType,
  target: ProviderKeyTarget,
  cursor?: string,
): { url: string; headers: Record<string, string> } | undefined {
  if (type === 'azure') return undefined;
  const adapter = providerAdapter(type);
  const url = new URL(adapter.url(target, { kind: 'path', path: '/models' }));
  if (type === 'anthropic') {
    url.searchParams.set('limit', '1000');
    if (cursor !== undefined) url.searchParams.set('after_id', cursor);
  } else if (type === 'gemini') {
    url.searchParams.set('pageSize', '1000');
    if (cursor !== undefined) url.searchParams.set('pageToken', cursor);
  }
  const headers = {
    ...adapter.defaultHeaders(target),
    ...adapter.authHeaders(target),
    accept: 'application/json',
  };

  return { url: url.toString(), headers };
}

/** A provider's model list page, in OpenAI's entry shape. */
export function parseModelList(type: ProviderType, body: unknown): ModelListPage {
  if (!isRecord(body)) return { models: [] };
  if (type === 'gemini') {
    const models = Array.isArray(body.models) ? body.models.flatMap(geminiEntry) : [];
    const next = typeof body.nextPageToken === 'string' ? body.nextPageToken : '';

    return { models, next: next === '' ? undefined : next };
  }
  const data = Array.isArray(body.data) ? body.data : [];
  if (type === 'anthropic') {
    const models = data.flatMap(anthropicEntry);
    const last = body.last_id;
    const next = body.has_more === true && typeof last === 'string' ? last : undefined;

    return { models, next };
  }

  return { models: data.flatMap(openAiEntry) };
}

/** The model names an Azure key's `Config.deployments` maps to deployments. */
export function configuredDeployments(settings: Readonly<Record<string, unknown>>): ModelEntry[] {
  const deployments = settings.deployments;
  if (!isRecord(deployments)) return [];

  return Object.keys(deployments).map((id) => entry(id, 0, 'azure'));
}

function entry(id: string, created: number, ownedBy: string): ModelEntry {
  return { id, object: 'model', created, owned_by: ownedBy };
}

function openAiEntry(item: unknown): ModelEntry[] {
  if (!isRecord(item) || typeof item.id !== 'string') return [];
  const created = typeof item.created === 'number' ? item.created : 0;

  return [entry(item.id, created, typeof item.owned_by === 'string' ? item.owned_by : 'provider')];
}

function anthropicEntry(item: unknown): ModelEntry[] {
  if (!isRecord(item) || typeof item.id !== 'string') return [];
  const millis = typeof item.created_at === 'string' ? Date.parse(item.created_at) : NaN;

  return [entry(item.id, Number.isNaN(millis) ? 0 : Math.floor(millis / 1000), 'anthropic')];
}

/** Gemini names models `models/<id>`; only those that generate content are chat models. */
function geminiEntry(item: unknown): ModelEntry[] {
  if (!isRecord(item) || typeof item.name !== 'string') return [];
  const methods = item.supportedGenerationMethods;
  if (Array.isArray(methods) && !methods.includes('generateContent')) return [];

  return [entry(item.name.replace(/^models\//, ''), 0, 'google')];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
