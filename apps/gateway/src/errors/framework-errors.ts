import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

import { CallerProtocol } from '@xai/providers';
import type {
  ConnectionError,
  FastifyHttpOptions,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';

import { toCallerError } from './caller-error';
import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';
import { protocolOfUnroutedRequest } from './unknown-route';

/** Most headers a request may have; far more than any client sends. */
export const MAX_HEADER_COUNT = 1000;

/** The limits on a request's head that the HTTP server enforces itself. */
export interface RequestHeadLimits {
  /** Largest request line plus headers, in bytes (Node's parser answers 431 past it). */
  maxHeaderBytes: number;
  /** Longest path parameter (a model id in `/v1/models/{id}`); 414 past it. */
  maxParamLength: number;
}

/** A new request id: `req_` and 32 hex digits. */
export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Fastify server options that put the errors Fastify and Node raise before any route runs
 * (a header block too large, a path parameter too long, a malformed URL) into the caller's
 * protocol's shape, with a request id, like every other error of the router.
 */
export function frameworkErrorOptions(limits: RequestHeadLimits): FastifyHttpOptions<Server> {
  return {
    genReqId: newRequestId,
    requestIdHeader: false,
    routerOptions: { maxParamLength: limits.maxParamLength },
    http: { maxHeaderSize: limits.maxHeaderBytes },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  };
}

/**
 * Refuses a request with more than `maxCount` headers with a 431 in the caller's shape. Node
 * would otherwise keep only its first headers and drop the rest silently (the key or `Host`
 * among them: without `Host` Node answers a bare 400 itself); the header byte cap already
 * bounds how many can arrive.
 */
export function refuseTooManyHeaders(fastify: FastifyInstance, maxCount = MAX_HEADER_COUNT): void {
  fastify.server.maxHeadersCount = 0;
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.raw.rawHeaders.length / 2 <= maxCount) return;
    const message = `The request has more than ${maxCount} headers.`;
    const failure = new GatewayException(GatewayErrorCode.InvalidRequest, message, { status: 431 });
    const { body } = toCallerError(protocolOfUnroutedRequest(request), failure, request.id);

    return reply.code(431).header('x-request-id', request.id).send(body);
  });
}

function answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const code = (error as { code?: string }).code;
  const status = code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const message =
    status === 414 ? 'The request path is too long.' : 'The request URL is malformed.';
  const failure = new GatewayException(GatewayErrorCode.InvalidRequest, message, { status });
  const { body } = toCallerError(protocolOfUrl(request.raw.url ?? ''), failure, request.id);
  void reply.code(status).header('x-request-id', request.id).send(body);
}

/**
 * Errors Node's HTTP parser raises before a request exists: there is no reply to use, so the
 * answer is written to the socket (as Fastify's default handler does), in the caller's shape.
 */
function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;

  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive.']
        : [400, 'Bad Request', 'The request could not be read as HTTP.'];
  const requestId = newRequestId();
  const failure = new GatewayException(GatewayErrorCode.InvalidRequest, message, { status });
  const protocol = protocolOfUrl(requestLine(error.rawPacket));
  const body = JSON.stringify(toCallerError(protocol, failure, requestId).body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** The path of what the client sent, if the parser kept it (Node gives a Buffer). */
function requestLine(rawPacket: unknown): string {
  if (!Buffer.isBuffer(rawPacket)) return '';
  const head = rawPacket.subarray(0, 512).toString('latin1');

  return head.split('\r\n', 1)[0].split(' ')[1] ?? '';
}

/** Anthropic's routes answer in Anthropic's shape; everything else in OpenAI's. */
function protocolOfUrl(url: string): CallerProtocol {
  return url.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}
