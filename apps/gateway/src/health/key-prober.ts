import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  isProviderType,
  providerAdapter,
} from '@xai/providers';

import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { UpstreamClient } from '../proxy/upstream.client';
import { AttemptVerdict, answerVerdict, failureVerdict, verdictNeedsBody } from './attempt-verdict';
import { KeyHealthService } from './key-health.service';
import { KeyProbeJob } from './key-probe.queue';

/** How a probe ended. */
export type ProbeOutcome = AttemptVerdict['kind'] | 'not_cached' | 'unsupported' | 'busy';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * The half-open probe of a key whose sleep ended, of any provider type: one cheap call (the
 * provider's model list, no tokens spent) whose verdict wakes the key, or puts it back to sleep for longer. A gateway can only
 * probe a key whose plaintext is in its own hot cache: the router cannot open a key without a
 * caller's credential. Otherwise the key stays half-open and the next live call is its trial.
 */
@Injectable()
export class KeyProber {
  private readonly logger = new AppLogger(KeyProber.name);

  constructor(
    private readonly health: KeyHealthService,
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Probes the key of `job`, if this gateway can and nobody else is trying it. */
  async probe(job: KeyProbeJob): Promise<ProbeOutcome> {
    const secret = this.secrets.cached(job);
    if (secret === undefined) return 'not_cached';
    if (!isProviderType(job.providerType)) return 'unsupported';
    if (job.privateLiteralHost && !this.config.XAI_ALLOW_PRIVATE_UPSTREAMS) return 'unsupported';
    if (!(await this.health.claimTrial(job))) return 'busy';

    const verdict = await this.call(job, providerAdapter(job.providerType), secret);
    await this.health.report(job, verdict);
    this.logger.info('provider key probed', { providerKeyId: job.id, outcome: verdict.kind });

    return verdict.kind;
  }

  /**
   * Lists the provider's models through the key type's adapter: every provider type has such a
   * listing (OpenAI's and Anthropic's `/v1/models`, Gemini's `/v1beta/models`, Azure's
   * `/openai/models`), and none spends tokens.
   */
  private async call(
    job: KeyProbeJob,
    adapter: ProviderAdapter,
    secret: string,
  ): Promise<AttemptVerdict> {
    try {
      const target: ProviderKeyTarget = { baseUrl: job.baseUrl, secret, settings: job.settings };
      const response = await this.upstream.send({
        url: adapter.url(target, { kind: 'path', path: '/models' }),
        method: 'GET',
        headers: {
          ...adapter.defaultHeaders(target),
          ...adapter.authHeaders(target),
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      const body = verdictNeedsBody(response.statusCode) ? await response.body.text() : undefined;
      if (body === undefined) await response.body.dump();

      return answerVerdict(response.statusCode, response.headers, Date.now(), body);
    } catch (error) {
      return failureVerdict(error);
    }
  }
}
