import type { FastifyInstance } from 'fastify';

/** Methods whose body, when there is none, is no reason to refuse the request. */
const OPTIONAL_BODY_METHODS = new Set(['DELETE', 'OPTIONS']);

/**
 * Lets a `DELETE` (or `OPTIONS`) that says `content-type: application/json` but sends no body
 * through, as many HTTP clients send that header on every request: Fastify would otherwise
 * parse the empty body as JSON and refuse it ("Body cannot be empty"). The header is dropped
 * only when the request has no body at all (no length, or length 0, and not chunked).
 */
export function acceptEmptyBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    if (!OPTIONAL_BODY_METHODS.has(request.method)) return;
    const headers = request.raw.headers;
    const length = headers['content-length'];
    const bodiless =
      headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
    if (bodiless) delete headers['content-type'];
  });
}
