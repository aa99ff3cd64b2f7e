import { Readable } from 'node:stream';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { BoundedMemo } from '@xai/common';
import { guardedLookup } from '@xai/providers';
import { Agent, Dispatcher } from 'undici';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** A body read afresh from where it is kept for each call, so a retry can send it again. */
export interface ReplayableBody {
  /** Its length in bytes. */
  readonly size: number;
  /** A new stream of the whole body. */
  open(): Readable;
}

/** One call to a provider. */
export interface UpstreamCall {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  /** The body; chunks are streamed in order (a fresh stream per call, so a retry can resend). */
  body?: Buffer | string | Buffer[] | ReplayableBody;
  signal?: AbortSignal;
}

/**
 * The pooled HTTP client of every provider call. Keep-alive connections are shared across
 * requests; unless private upstreams are allowed, every connection's address is checked at
 * connect time too, so a name that re-resolves to a private address is refused (DNS rebinding).
 */
@Injectable()
export class UpstreamClient implements OnModuleDestroy {
  private readonly agent: Agent;
  /** Each call URL split once into origin and path. */
  private readonly targets = new BoundedMemo<UpstreamTarget>(1024);

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.agent = new Agent({
      connect: {
        timeout: config.XAI_UPSTREAM_CONNECT_TIMEOUT_MS,
        ...(config.XAI_ALLOW_PRIVATE_UPSTREAMS ? {} : { lookup: guardedLookup(false) }),
      },
      headersTimeout: config.XAI_UPSTREAM_HEADERS_TIMEOUT_MS,
      // Silence in a body is watched by the relay (provider-body.ts), which gives the wait for
      // the first chunk its own limit; undici's single limit would cut long reasoning phases.
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      connections: 1024,
    });
  }

  /** Sends a call; resolves when the provider's headers arrive. */
  send(call: UpstreamCall): Promise<Dispatcher.ResponseData> {
    return this.agent.request({
      ...this.targets.get(call.url, () => targetOf(call.url)),
      method: call.method,
      headers: call.headers,
      body: requestBody(call.body),
      signal: call.signal,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

/** Where a URL's calls go, as undici's dispatchers take it. */
interface UpstreamTarget {
  origin: string;
  path: string;
}

/** A URL as undici's dispatchers take it (it would parse the URL on every call). */
function targetOf(url: string): UpstreamTarget {
  const parsed = new URL(url);

  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

function requestBody(body: UpstreamCall['body']): Buffer | Readable | undefined {
  if (Array.isArray(body)) return Readable.from(body);
  // undici keeps a string body and its own Buffer copy of it until the answer ends (a stream's
  // whole life); given a Buffer, it keeps that one.
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || Buffer.isBuffer(body)) return body;

  return body.open();
}
