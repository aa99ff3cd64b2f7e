import { Readable } from 'node:stream';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
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
  private readonly targets = new UpstreamTargets();

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
      ...this.targets.of(call.url),
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

/** Each call URL split once into origin and path (undici would parse it on every call). */
class UpstreamTargets {
  private static readonly MAX = 1024;
  private readonly split = new Map<string, UpstreamTarget>();

  of(url: string): UpstreamTarget {
    let target = this.split.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      // Paths may carry caller-chosen ids (files, stored responses): start over when full.
      if (this.split.size >= UpstreamTargets.MAX) this.split.clear();
      this.split.set(url, target);
    }

    return target;
  }
}

function requestBody(body: UpstreamCall['body']): Buffer | Readable | undefined {
  if (Array.isArray(body)) return Readable.from(body);
  // undici keeps a string body and its own Buffer copy of it until the answer ends (a stream's
  // whole life); given a Buffer, it keeps that one.
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || Buffer.isBuffer(body)) return body;

  return body.open();
}
