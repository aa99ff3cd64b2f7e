import { Inject, Injectable } from '@nestjs/common';
import { upstreamUrl } from '@xai/providers';
import { Dispatcher } from 'undici';

import { Caller } from '../auth/caller';
import { RequestTrace } from '../audit/request-trace';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { RoutableKey } from '../routing/tenant-routing';
import { UpstreamClient } from './upstream.client';

/** The provider's answer that will be relayed, and the key that got it. */
export interface UpstreamAnswer {
  key: RoutableKey;
  response: Dispatcher.ResponseData;
}

/** What to send to each candidate key. */
export interface UpstreamRequest {
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  signal: AbortSignal;
}

/** Statuses after which another key may succeed where this one did not. */
const TRY_NEXT_KEY = new Set([401, 403, 408, 409, 429, 500, 502, 503, 504]);

/**
 * Walks a level's keys until one gets an answer worth relaying (DESIGN.md section 6): a key
 * whose secret cannot be opened, that cannot be reached, or that the provider refuses or
 * throttles is skipped for the next one. The last key's answer is relayed whatever it is.
 * TODO(#4): key health (sleep, dead, half-open probes), SwitchOver and explained failures.
 */
@Injectable()
export class UpstreamAttempts {
  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The first relayable answer, or the last failure as a {@link GatewayException}. */
  async firstAnswer(
    caller: Caller,
    candidates: readonly RoutableKey[],
    request: UpstreamRequest,
    trace: RequestTrace,
  ): Promise<UpstreamAnswer> {
    let failure: unknown;
    for (const [index, key] of candidates.entries()) {
      const last = index === candidates.length - 1;
      trace.attempts++;
      trace.providerKeyId = key.id;
      try {
        const response = await this.call(caller, key, request, trace.requestId);
        if (last || !TRY_NEXT_KEY.has(response.statusCode)) return { key, response };
        await response.body.dump();
        failure = upstreamStatus(response.statusCode);
      } catch (error) {
        if (request.signal.aborted) throw error;
        failure = error;
      }
    }

    throw failure instanceof GatewayException ? failure : unreachable(failure);
  }

  private async call(
    caller: Caller,
    key: RoutableKey,
    request: UpstreamRequest,
    requestId: string,
  ): Promise<Dispatcher.ResponseData> {
    if (key.providerType !== 'openai') {
      // TODO(#5): adapters and translation for anthropic, gemini and azure keys.
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `Provider type "${key.providerType}" is not supported on this endpoint yet.`,
      );
    }
    if (key.privateLiteralHost && !this.config.XAI_ALLOW_PRIVATE_UPSTREAMS) {
      throw new GatewayException(
        GatewayErrorCode.UpstreamRefused,
        'The provider key points at a private address, and private upstreams are not allowed.',
      );
    }
    const secret = await this.secrets.secretFor(caller, key.id, requestId);

    return this.upstream.send({
      url: upstreamUrl(key.baseUrl, request.path),
      method: request.method,
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: request.body,
      signal: request.signal,
    });
  }
}

function upstreamStatus(status: number): GatewayException {
  return new GatewayException(
    GatewayErrorCode.UpstreamError,
    `The provider answered ${status} for every key tried.`,
  );
}

function unreachable(cause: unknown): GatewayException {
  return new GatewayException(
    GatewayErrorCode.UpstreamUnreachable,
    'The provider could not be reached with any key of this level.',
    { cause },
  );
}
