import { Inject, Injectable } from '@nestjs/common';
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { RequestAuditEvent } from '@xai/events';
import { AttributeCache, BoundedValues, METER } from '@xai/telemetry';

import {
  ATTR,
  DURATION_BUCKETS,
  HTTP_BUCKETS,
  METRIC,
  TOKEN_BUCKETS,
  TTFT_BUCKETS,
} from './metric-names';

/** Distinct model names kept as labels; later ones count as `_other`. */
const MAX_MODELS = 200;
/** Distinct error classes kept as labels (they come from code, so this is a safety net). */
const MAX_ERROR_TYPES = 50;

const SUCCESS = { [ATTR.attemptOutcome]: 'success' } as const;
const FAILURE = { [ATTR.attemptOutcome]: 'error' } as const;

/** The attributes of one kind of call, built once: for its duration, and for each token type. */
interface CallAttributes {
  call: Attributes;
  input: Attributes;
  output: Attributes;
}

/**
 * The gateway's request metrics, recorded once per call from its audit event (when the call is
 * over, see `AuditEmitter.emit`), from instruments created once. Labels are bounded (endpoint, provider type, level,
 * model capped, error class) and never hold tenants, keys, prompts or secrets.
 */
@Injectable()
export class GatewayMetrics {
  private readonly operationDuration: Histogram;
  private readonly tokenUsage: Histogram;
  private readonly timeToFirstToken: Histogram;
  private readonly httpDuration: Histogram;
  private readonly upstreamAttempts: Counter;
  private readonly upstreamErrors: Counter;
  private readonly configLag: Histogram;
  private readonly models = new BoundedValues(MAX_MODELS);
  private readonly errorTypes = new BoundedValues(MAX_ERROR_TYPES);
  private readonly callAttributeSets = new AttributeCache<CallAttributes>();
  private readonly httpAttributeSets = new AttributeCache<Attributes>();
  private readonly errorAttributeSets = new AttributeCache<Attributes>();

  constructor(@Inject(METER) meter: Meter) {
    this.operationDuration = meter.createHistogram(METRIC.operationDuration, {
      description: 'Duration of routed calls, from request to the end of the answer',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.tokenUsage = meter.createHistogram(METRIC.tokenUsage, {
      description: 'Tokens per call as the provider reported them, by input and output',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.timeToFirstToken = meter.createHistogram(METRIC.timeToFirstToken, {
      description: 'Time from the request to the first byte of a successful answer sent back',
      unit: 's',
      advice: { explicitBucketBoundaries: TTFT_BUCKETS },
    });
    this.httpDuration = meter.createHistogram(METRIC.httpDuration, {
      description: 'Duration of every HTTP request the gateway answered, by route and status',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    });
    this.upstreamAttempts = meter.createCounter(METRIC.upstreamAttempts, {
      description: 'Calls to providers, by outcome (a request may make several)',
      unit: '{attempt}',
    });
    this.upstreamErrors = meter.createCounter(METRIC.upstreamErrors, {
      description: 'Failed calls to providers, by error class',
      unit: '{attempt}',
    });
    this.configLag = meter.createHistogram(METRIC.configStreamLag, {
      description: 'Delay between a config change being published and this gateway applying it',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    });
  }

  /** Records a finished call from its audit event: duration, tokens, time to first token, attempts. */
  recordCall(event: RequestAuditEvent): void {
    const attributes = this.callAttributes(event);
    this.operationDuration.record(event.latencyMs / 1000, attributes.call);
    if (event.usage) {
      this.tokenUsage.record(event.usage.promptTokens, attributes.input);
      this.tokenUsage.record(event.usage.completionTokens, attributes.output);
    }
    if (event.ttftMs != null && event.status < 400) {
      this.timeToFirstToken.record(event.ttftMs / 1000, attributes.call);
    }
    for (const attempt of event.attemptsDetail ?? []) this.recordAttempt(attempt.errorClass);
  }

  /** Records one HTTP answer of any route (the `/v1` API, management, probes). */
  recordHttp(method: string, route: string | undefined, status: number, seconds: number): void {
    const attributes = this.httpAttributeSets.get(`${method} ${status} ${route}`, () => ({
      [ATTR.httpMethod]: method,
      [ATTR.httpRoute]: route ?? '_unmatched',
      [ATTR.httpStatus]: status,
    }));
    this.httpDuration.record(seconds, attributes);
  }

  /** Records how late a config-change event was applied, from its stream entry id. */
  recordConfigChange(entryId: string): void {
    const publishedAt = Number.parseInt(entryId, 10);
    if (!Number.isFinite(publishedAt)) return;

    this.configLag.record(Math.max(0, Date.now() - publishedAt) / 1000);
  }

  private recordAttempt(errorClass: string | null): void {
    if (errorClass === null) {
      this.upstreamAttempts.add(1, SUCCESS);

      return;
    }
    this.upstreamAttempts.add(1, FAILURE);
    const errorType = this.errorTypes.of(errorClass);
    this.upstreamErrors.add(
      1,
      this.errorAttributeSets.get(errorType, () => ({ [ATTR.errorType]: errorType })),
    );
  }

  private callAttributes(event: RequestAuditEvent): CallAttributes {
    const failed = event.status >= 400;
    // Only a model a provider answered for: names that fail are the caller's free text.
    const model = !failed && event.upstreamModel ? this.models.of(event.upstreamModel) : undefined;
    const errorType = failed ? this.errorTypes.of(errorTypeOf(event)) : undefined;
    const { endpoint, providerType, level } = event;
    const key = `${endpoint}|${providerType}|${level}|${model}|${errorType}`;

    return this.callAttributeSets.get(key, () => {
      const call: Attributes = {
        [ATTR.operation]: operationOf(endpoint),
        [ATTR.endpoint]: endpoint,
      };
      if (providerType) call[ATTR.provider] = providerNameOf(providerType);
      if (level !== null) call[ATTR.level] = level;
      if (model !== undefined) call[ATTR.requestModel] = model;
      if (errorType !== undefined) call[ATTR.errorType] = errorType;

      return {
        call,
        input: { ...call, [ATTR.tokenType]: 'input' },
        output: { ...call, [ATTR.tokenType]: 'output' },
      };
    });
  }
}

/** The GenAI convention's operation name of a `/v1` endpoint. */
function operationOf(endpoint: string): string {
  switch (endpoint) {
    case '/v1/chat/completions':
    case '/v1/messages':
    case '/v1/responses':
      return 'chat';
    case '/v1/completions':
      return 'text_completion';
    case '/v1/embeddings':
      return 'embeddings';
    case '/v1/messages/count_tokens':
      return 'count_tokens';
    default:
      return 'generate_content';
  }
}

/** The GenAI convention's provider name of a provider type. */
function providerNameOf(providerType: string): string {
  switch (providerType) {
    case 'gemini':
      return 'gcp.gemini';
    case 'azure':
      return 'azure.ai.openai';
    default:
      return providerType;
  }
}

function errorTypeOf(event: RequestAuditEvent): string {
  return event.errorClass ?? event.errorCode ?? String(event.status);
}
