import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One provider-key health transition a gateway announced (sleeping, dead, recovered, revived),
 * kept as history for owners and alerts. The live state is in Redis; this is the record.
 */
@Entity({ name: 'key_health_events' })
export class KeyHealthEventEntity {
  /** The gateway's event id: a replayed event is stored once. */
  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  /** Not a foreign key: the history outlives a deleted provider key. */
  @Column('text', { name: 'provider_key_id' })
  providerKeyId!: string;

  @Column('text', { name: 'from_state' })
  fromState!: string;

  @Column('text', { name: 'to_state' })
  toState!: string;

  @Column('text')
  reason!: string;

  /** A short, secret-free detail such as `HTTP 429`. */
  @Column('text', { nullable: true })
  detail!: string | null;

  /** Until when a sleeping key sleeps. */
  @Column('timestamptz', { nullable: true })
  until!: Date | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
