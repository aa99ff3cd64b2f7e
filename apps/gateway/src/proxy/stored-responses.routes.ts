import type { FastifyInstance } from 'fastify';

import {
  STORED_RESPONSE_ACTIONS,
  StoredResponseAction,
  StoredResponsesService,
} from './stored-responses.service';

/**
 * Registers OpenAI's routes on stored responses in `scope` (which keeps bodies raw and answers
 * errors in OpenAI's shape): `GET`/`DELETE /v1/responses/{id}`, `GET …/input_items`,
 * `POST …/cancel`.
 */
export function registerStoredResponseRoutes(
  scope: FastifyInstance,
  storedResponses: StoredResponsesService,
): void {
  const actions = Object.keys(STORED_RESPONSE_ACTIONS) as StoredResponseAction[];
  for (const action of actions) {
    const { method, suffix } = STORED_RESPONSE_ACTIONS[action];
    scope.route({
      method,
      url: `/v1/responses/:id${suffix}`,
      handler: (request, reply) => storedResponses.handle(request, reply, action),
    });
  }
}
