import type { AttemptDetail } from '@xai/events';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One routed request in the audit trail. Rows are only ever inserted; usage columns are null
 * when the provider reported none.
 */
/** PostgreSQL returns bigint as a string; token counts are capped far below 2^53 at ingest. */
const bigintAsNumber = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

@Entity({ name: 'request_events' })
export class RequestEventEntity {
  /** Fixed by the gateway before the upstream call; a redelivered event keeps it. */
  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'request_id' })
  requestId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { name: 'virtual_key_id' })
  virtualKeyId!: string;

  @Column('text', { name: 'provider_key_id', nullable: true })
  providerKeyId!: string | null;

  @Column('int', { nullable: true })
  level!: number | null;

  @Column('text', { name: 'requested_model', nullable: true })
  requestedModel!: string | null;

  @Column('text', { name: 'upstream_model', nullable: true })
  upstreamModel!: string | null;

  @Column('text')
  endpoint!: string;

  /** The HTTP status returned to the caller. */
  @Column('int')
  status!: number;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode!: string | null;

  @Column('boolean')
  stream!: boolean;

  @Column('int')
  attempts!: number;

  @Column('int', { name: 'latency_ms' })
  latencyMs!: number;

  @Column('bigint', { name: 'prompt_tokens', nullable: true, transformer: bigintAsNumber })
  promptTokens!: number | null;

  @Column('bigint', { name: 'completion_tokens', nullable: true, transformer: bigintAsNumber })
  completionTokens!: number | null;

  @Column('bigint', { name: 'total_tokens', nullable: true, transformer: bigintAsNumber })
  totalTokens!: number | null;

  /** When the gateway received the request, to the millisecond. */
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('text', { name: 'member_id', nullable: true })
  memberId!: string | null;

  @Column('text', { name: 'provider_type', nullable: true })
  providerType!: string | null;

  @Column('text', { name: 'error_class', nullable: true })
  errorClass!: string | null;

  @Column('jsonb', { name: 'attempts_detail', default: () => "'[]'" })
  attemptsDetail!: AttemptDetail[];

  @Column('int', { name: 'ttft_ms', nullable: true })
  ttftMs!: number | null;

  @Column('bigint', { name: 'cached_input_tokens', nullable: true, transformer: bigintAsNumber })
  cachedInputTokens!: number | null;

  @Column('bigint', { name: 'reasoning_tokens', nullable: true, transformer: bigintAsNumber })
  reasoningTokens!: number | null;

  /** US dollars with twelve decimals, as PostgreSQL returns a numeric; null when unpriced. */
  @Column('numeric', { name: 'cost_usd', precision: 24, scale: 12, nullable: true })
  costUsd!: string | null;

  @Column('text', { name: 'price_source', nullable: true })
  priceSource!: string | null;

  /** What audit-log corrected at ingest (e.g. `tokens_capped`), comma-separated; null if nothing. */
  @Column('text', { name: 'ingest_flags', nullable: true })
  ingestFlags!: string | null;

  /** Position in the tenant's hash chain (int8 arrives as text). */
  @Column('bigint', { name: 'chain_seq' })
  chainSeq!: string;

  @Column('bytea', { name: 'prev_hash' })
  prevHash!: Buffer;

  @Column('bytea', { name: 'row_hash' })
  rowHash!: Buffer;

  /** When this service stored the row. */
  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;
}
