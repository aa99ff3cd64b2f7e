import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockAnswer } from '../exchange/answer-writer';
import { MockDialect } from '../exchange/mock-dialect';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { MockResponseStore } from './response-store';
import {
  StoredResponseQuery,
  answerCancelledResponse,
  answerDeletedResponse,
  answerInputItems,
  answerStoredResponse,
} from './stored-response-answers';

/** What the stored-response routes need from the app. */
export interface StoredResponseRouteDeps extends ServeDeps {
  responses: MockResponseStore;
}

/**
 * Serves OpenAI's routes on stored responses under `prefix` (`/v1/responses` for OpenAI,
 * `/openai/responses` and `/openai/v1/responses` for Azure): `GET` and `DELETE /{id}`,
 * `GET /{id}/input_items`, `POST /{id}/cancel`, each answering for the key's own responses.
 */
export function registerStoredResponseRoutes(
  app: FastifyInstance,
  deps: StoredResponseRouteDeps,
  dialect: MockDialect,
  prefix: string,
): void {
  const serve = (answer: (query: StoredResponseQuery, request: FastifyRequest) => MockAnswer) =>
    serveWith(deps, dialect, (request) => {
      const { id } = request.params as { id: string };
      const apiKey = dialect.credential(request) ?? '';

      return answer({ store: deps.responses, apiKey, id }, request);
    });
  app.get(
    `${prefix}/:id`,
    serve((query) => answerStoredResponse(query)),
  );
  app.delete(
    `${prefix}/:id`,
    serve((query) => answerDeletedResponse(query)),
  );
  app.get(
    `${prefix}/:id/input_items`,
    serve((query, request) => answerInputItems(query, orderOf(request))),
  );
  app.post(
    `${prefix}/:id/cancel`,
    serve((query) => answerCancelledResponse(query)),
  );
}

function orderOf(request: FastifyRequest): string | undefined {
  const order = (request.query as Record<string, unknown>).order;

  return typeof order === 'string' ? order : undefined;
}
