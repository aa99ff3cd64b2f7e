import type { FastifyInstance } from 'fastify';

import { ANTHROPIC_DIALECT } from '../anthropic/anthropic.routes';
import { MockAnswer } from '../exchange/answer-writer';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { GEMINI_DIALECT } from '../gemini/gemini.routes';
import { MODEL_CREATED, modelList } from '../openai/models';
import { OPENAI_DIALECT } from '../openai/openai.routes';

/** What the model lists need from the app. */
export interface ModelListDeps extends ServeDeps {
  models: readonly string[];
}

/**
 * The model list of each protocol: `GET /v1/models` in OpenAI's shape, or in Anthropic's when
 * the key comes in `x-api-key` (Anthropic's SDK), and Gemini's `GET /v1beta/models`. Providers'
 * health probes use these lists, since they spend no tokens.
 */
export function registerModelListRoutes(app: FastifyInstance, deps: ModelListDeps): void {
  const json = (body: unknown): MockAnswer => ({ kind: 'json', status: 200, body });
  const openAi = serveWith(deps, OPENAI_DIALECT, () => json(modelList(deps.models)));
  const anthropic = serveWith(deps, ANTHROPIC_DIALECT, () => json(anthropicList(deps.models)));
  app.get('/v1/models', function (request, reply) {
    const handler = request.headers['x-api-key'] === undefined ? openAi : anthropic;

    return handler.call(this, request, reply);
  });
  app.get(
    '/v1beta/models',
    serveWith(deps, GEMINI_DIALECT, () => json(geminiList(deps.models))),
  );
}

function anthropicList(ids: readonly string[]) {
  const createdAt = new Date(MODEL_CREATED * 1000).toISOString();

  return {
    data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null,
  };
}

function geminiList(ids: readonly string[]) {
  return {
    models: ids.map((id) => ({
      name: `models/${id}`,
      displayName: id,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    })),
  };
}
