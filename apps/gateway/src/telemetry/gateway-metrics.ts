import { Inject, Injectable } from '@nestjs/common';
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import type { RequestAuditEvent } from '@xai/events';
import {
  AttributeCache,
  BoundedValues,
  CounterSeries,
  HistogramSeries,
  METER,
  METRIC_SERIES,
  MetricSeries,
  SeriesCounter,
  SeriesHistogram,
} from '@xai/telemetry';

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

/** The instruments a call records into. */
interface CallInstruments {
  duration: SeriesHistogram;
  tokens: SeriesHistogram;
  timeToFirstToken: SeriesHistogram;
}

/**
 * The series of one kind of call: its duration, tokens by type and time to first token, each
 * resolved the first time it is recorded into. Like the SDK, an instrument then counts a label
 * set against its cap only once something is recorded under it: failed calls never record a
 * first token, calls without usage no tokens.
 */
class CallSeries {
  private durationSeries?: HistogramSeries;
  private inputSeries?: HistogramSeries;
  private outputSeries?: HistogramSeries;
  private firstTokenSeries?: HistogramSeries;

  constructor(
    private readonly instruments: CallInstruments,
    private readonly call: Attributes,
  ) {}

  get duration(): HistogramSeries {
    return (this.durationSeries ??= this.instruments.duration.series(this.call));
  }

  get input(): HistogramSeries {
    return (this.inputSeries ??= this.tokens('input'));
  }

  get output(): HistogramSeries {
    return (this.outputSeries ??= this.tokens('output'));
  }

  get timeToFirstToken(): HistogramSeries {
    return (this.firstTokenSeries ??= this.instruments.timeToFirstToken.series(this.call));
  }

  private tokens(type: 'input' | 'output'): HistogramSeries {
    return this.instruments.tokens.series({ ...this.call, [ATTR.tokenType]: type });
  }
}

/**
 * The gateway's request metrics, recorded once per call from its audit event (when the call is
 * over, see `AuditEmitter.emit`), into series resolved once per label set (see
 * `MetricSeries`: no attribute hashing per record). Labels are bounded (endpoint, provider
 * type, level, model capped, error class) and never hold tenants, keys, prompts or secrets.
 */
@Injectable()
export class GatewayMetrics {
  private readonly callInstruments: CallInstruments;
  private readonly httpDuration: SeriesHistogram;
  private readonly upstreamErrors: SeriesCounter;
  private readonly attemptsSucceeded: CounterSeries;
  private readonly attemptsFailed: CounterSeries;
  private readonly configLag: Histogram;
  private readonly models = new BoundedValues(MAX_MODELS);
  private readonly errorTypes = new BoundedValues(MAX_ERROR_TYPES);
  private readonly callSeries = new AttributeCache<CallSeries>();
  private readonly httpSeries = new AttributeCache<HistogramSeries>();
  private readonly errorSeries = new AttributeCache<CounterSeries>();

  constructor(@Inject(METER) meter: Meter, @Inject(METRIC_SERIES) series: MetricSeries) {
    const duration = series.histogram(METRIC.operationDuration, {
      description: 'Duration of routed calls, from request to the end of the answer',
      unit: 's',
      boundaries: DURATION_BUCKETS,
    });
    const tokens = series.histogram(METRIC.tokenUsage, {
      description: 'Tokens per call as the provider reported them, by input and output',
      unit: '{token}',
      boundaries: TOKEN_BUCKETS,
    });
    const timeToFirstToken = series.histogram(METRIC.timeToFirstToken, {
      description: 'Time from the request to the first byte of a successful answer sent back',
      unit: 's',
      boundaries: TTFT_BUCKETS,
    });
    this.callInstruments = { duration, tokens, timeToFirstToken };
    this.httpDuration = series.histogram(METRIC.httpDuration, {
      description: 'Duration of every HTTP request the gateway answered, by route and status',
      unit: 's',
      boundaries: HTTP_BUCKETS,
    });
    const upstreamAttempts = series.counter(METRIC.upstreamAttempts, {
      description: 'Calls to providers, by outcome (a request may make several)',
      unit: '{attempt}',
    });
    this.attemptsSucceeded = upstreamAttempts.series({ [ATTR.attemptOutcome]: 'success' });
    this.attemptsFailed = upstreamAttempts.series({ [ATTR.attemptOutcome]: 'error' });
    this.upstreamErrors = series.counter(METRIC.upstreamErrors, {
      description: 'Failed calls to providers, by error class',
      unit: '{attempt}',
    });
    // Rare (one per config change): an SDK instrument does.
    this.configLag = meter.createHistogram(METRIC.configStreamLag, {
      description: 'Delay between a config change being published and this gateway applying it',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    });
  }

  /** Records a finished call from its audit event: duration, tokens, time to first token, attempts. */
  recordCall(event: RequestAuditEvent): void {
    const series = this.seriesOf(event);
    series.duration.record(event.latencyMs / 1000);
    if (event.usage) {
      series.input.record(event.usage.promptTokens);
      series.output.record(event.usage.completionTokens);
    }
    if (event.ttftMs != null && !failed(event)) {
      series.timeToFirstToken.record(event.ttftMs / 1000);
    }
    for (const attempt of event.attemptsDetail ?? []) this.recordAttempt(attempt.errorClass);
  }

  /** Records one HTTP answer of any route (the `/v1` API, management, probes). */
  recordHttp(method: string, route: string | undefined, status: number, seconds: number): void {
    const series = this.httpSeries.get(`${method} ${status} ${route}`, () =>
      this.httpDuration.series({
        [ATTR.httpMethod]: method,
        [ATTR.httpRoute]: route ?? '_unmatched',
        [ATTR.httpStatus]: status,
      }),
    );
    series.record(seconds);
  }

  /** Records how late a config-change event was applied, from its stream entry id. */
  recordConfigChange(entryId: string): void {
    const publishedAt = Number.parseInt(entryId, 10);
    if (!Number.isFinite(publishedAt)) return;

    this.configLag.record(Math.max(0, Date.now() - publishedAt) / 1000);
  }

  private recordAttempt(errorClass: string | null): void {
    if (errorClass === null) {
      this.attemptsSucceeded.add(1);

      return;
    }
    this.attemptsFailed.add(1);
    const errorType = this.errorTypes.of(errorClass);
    this.errorSeries
      .get(errorType, () => this.upstreamErrors.series({ [ATTR.errorType]: errorType }))
      .add(1);
  }

  private seriesOf(event: RequestAuditEvent): CallSeries {
    // Only a model a provider answered for: names that fail are the caller's free text.
    const model =
      !failed(event) && event.upstreamModel ? this.models.of(event.upstreamModel) : undefined;
    const errorType = failed(event) ? this.errorTypes.of(errorTypeOf(event)) : undefined;
    const { endpoint, providerType, level } = event;
    const key = `${endpoint}|${providerType}|${level}|${model}|${errorType}`;

    return this.callSeries.get(key, () => {
      const call: Attributes = {
        [ATTR.operation]: operationOf(endpoint),
        [ATTR.endpoint]: endpoint,
      };
      if (providerType) call[ATTR.provider] = providerNameOf(providerType);
      if (level !== null) call[ATTR.level] = level;
      if (model !== undefined) call[ATTR.requestModel] = model;
      if (errorType !== undefined) call[ATTR.errorType] = errorType;

      return new CallSeries(this.callInstruments, call);
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

/**
 * Whether a call failed: an error status, or a provider's redirect relayed as it came (an API
 * call is never answered by a redirect; the audit records it as a failure too).
 */
function failed(event: RequestAuditEvent): boolean {
  return event.status >= 300;
}

function errorTypeOf(event: RequestAuditEvent): string {
  return event.errorClass ?? event.errorCode ?? String(event.status);
}
