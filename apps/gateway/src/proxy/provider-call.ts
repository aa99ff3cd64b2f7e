import { Inject, Injectable } from '@nestjs/common';
import {
  HeaderBag,
  ProviderAdapter,
  ProviderKeyTarget,
  SecretScrubber,
  providerAdapter,
  upstreamRequestHeaders,
} from '@xai/providers';
import { Dispatcher } from 'undici';

import { Caller } from '../auth/caller';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { RoutableKey } from '../routing/tenant-routing';
import { AnswerReading, PreparedCall } from './chat-call';
import { ReplayableBody, UpstreamClient } from './upstream.client';

/** What to send to each candidate key. */
export interface UpstreamRequest {
  path: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The client's query string (without `?`), added to the provider's URL (pass-through calls). */
  query?: string;
  /** The body; chunks are sent in order (and again, as they are, on a retry). */
  body?: string | Buffer[] | ReplayableBody;
  /** The body's content type (`application/json` unless set). */
  contentType?: string;
  /** The upstream model, which Azure keys turn into a deployment. */
  model?: string;
  /** The client's headers, passed on as the header policy allows (pass-through calls). */
  clientHeaders?: HeaderBag;
  signal: AbortSignal;
  /** Builds the call for each key in its own protocol; without it, only OpenAI-type keys serve. */
  prepare?: (key: RoutableKey, secret: string) => PreparedCall;
}

/** A provider's answer to one call, not yet read, and what made and may clean it. */
export interface SentCall {
  response: Dispatcher.ResponseData;
  /** How to read the answer of the call as prepared for the key, when the request prepares one. */
  prepared?: AnswerReading;
  /** Scrubs the secret this call sent (and anything that looks like a key) from text. */
  scrub: SecretScrubber;
}

/**
 * One call to a provider with one key: opens the key's secret for the caller, builds the call
 * (the request's own preparation for the key's protocol, or a pass-through in OpenAI's) and
 * sends it. A key the gateway cannot use here is refused with a {@link GatewayException}.
 */
@Injectable()
export class ProviderCall {
  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Sends `request` to the provider with `key`; resolves when the answer's headers arrive. */
  async send(
    caller: Caller,
    key: RoutableKey,
    request: UpstreamRequest,
    requestId: string,
  ): Promise<SentCall> {
    const adapter = providerAdapter(key.providerType);
    this.assertUsable(adapter, key, request);
    const secret = await this.secrets.secretFor(caller, key, requestId);
    // A closure, so the answer can scrub with the secret without carrying it as a field.
    const scrub = this.secrets.scrubberFor(key, secret);
    if (request.prepare) {
      const { url, headers, body, ...reading } = request.prepare(key, secret);
      const response = await this.upstream.send({
        url,
        method: 'POST',
        headers,
        body,
        signal: request.signal,
      });

      return { response, prepared: reading, scrub };
    }
    const target = { baseUrl: key.baseUrl, secret, settings: key.settings };
    const response = await this.upstream.send({
      url: withQuery(
        adapter.url(target, { kind: 'path', path: request.path, model: request.model }),
        request.query,
      ),
      method: request.method,
      headers: passThroughHeaders(adapter, target, request),
      body: request.body,
      signal: request.signal,
    });

    return { response, scrub };
  }

  /** Refuses a key this request cannot be sent with, before its secret is opened. */
  private assertUsable(adapter: ProviderAdapter, key: RoutableKey, request: UpstreamRequest): void {
    if (!request.prepare && adapter.protocol !== 'openai') {
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `/v1${request.path} is served by OpenAI-type provider keys only (openai, azure); ` +
          `the key routed to is of type "${key.providerType}".`,
      );
    }
    if (key.privateLiteralHost && !this.config.XAI_ALLOW_PRIVATE_UPSTREAMS) {
      throw new GatewayException(
        GatewayErrorCode.UpstreamRefused,
        'The provider key points at a private address, and private upstreams are not allowed.',
      );
    }
  }
}

/** The provider's URL with the client's query added; the URL's own parameters (Azure's `api-version`) win. */
function withQuery(url: string, query: string | undefined): string {
  if (!query) return url;
  const target = new URL(url);
  const own = new Set(target.searchParams.keys());
  for (const [name, value] of new URLSearchParams(query)) {
    if (!own.has(name)) target.searchParams.append(name, value);
  }

  return target.toString();
}

/** Headers of a call in the caller's own protocol: the key's, the body's type and length. */
function passThroughHeaders(
  adapter: ProviderAdapter,
  target: ProviderKeyTarget,
  request: UpstreamRequest,
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    ...upstreamRequestHeaders(adapter, target, request.clientHeaders ?? {}, 'openai'),
    'content-type': request.contentType ?? 'application/json',
  };
  // A body-less call (a GET, a DELETE) says nothing of a body's type.
  if (request.body === undefined) delete headers['content-type'];
  if (Array.isArray(request.body)) {
    const length = request.body.reduce((sum, chunk) => sum + chunk.length, 0);
    headers['content-length'] = String(length);
  } else if (typeof request.body === 'object') {
    headers['content-length'] = String(request.body.size);
  }

  return headers;
}
