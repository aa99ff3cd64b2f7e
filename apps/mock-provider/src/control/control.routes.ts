import type { FastifyInstance } from 'fastify';

import { BehaviourInputSchema } from '../behaviours/behaviour';
import { BehaviourRegistry } from '../behaviours/behaviour-registry';
import { openAiError } from '../openai/openai-error';
import { RequestRecorder } from '../recording/request-recorder';

/** What the control endpoints work on. */
export interface ControlRouteDeps {
  recorder: RequestRecorder;
  behaviours: BehaviourRegistry;
}

/**
 * The test-facing control API under `/_mock`: the recorded requests (`?apiKey=` filters) and
 * the behaviour rules. Unauthenticated on purpose: the mock is a test tool bound to loopback.
 */
export function registerControlRoutes(app: FastifyInstance, deps: ControlRouteDeps): void {
  app.get<{ Querystring: { apiKey?: unknown } }>('/_mock/requests', async (request) => {
    const apiKey = request.query.apiKey;

    return deps.recorder.list(typeof apiKey === 'string' ? { apiKey } : {});
  });

  app.delete('/_mock/requests', async (_request, reply) => {
    deps.recorder.clear();

    return reply.code(204).send();
  });

  app.get('/_mock/behaviours', async () => deps.behaviours.list());

  app.post('/_mock/behaviours', async (request, reply) => {
    const parsed = BehaviourInputSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue.path.join('.') || null;

      return reply
        .code(400)
        .send(openAiError(`Invalid behaviour: ${issue.message}`, undefined, param));
    }

    return reply.code(201).send(deps.behaviours.add(parsed.data));
  });

  app.delete('/_mock/behaviours', async (_request, reply) => {
    deps.behaviours.clear();

    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>('/_mock/behaviours/:id', async (request, reply) => {
    if (deps.behaviours.remove(request.params.id)) return reply.code(204).send();

    return reply.code(404).send(openAiError(`No behaviour ${request.params.id}`));
  });
}
