import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One routed request in the audit trail. Rows are only ever inserted; usage columns are null
 * when the provider reported none.
 */
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

  @Column('int', { name: 'prompt_tokens', nullable: true })
  promptTokens!: number | null;

  @Column('int', { name: 'completion_tokens', nullable: true })
  completionTokens!: number | null;

  @Column('int', { name: 'total_tokens', nullable: true })
  totalTokens!: number | null;

  /** When the gateway received the request, to the millisecond. */
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  /** When this service stored the row. */
  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;
}
