import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { ProviderKey, TenantConfig } from '@xai/contracts';
import type { JsonValue, ManagementChangeEvent } from '@xai/events';

import type { Caller } from '../auth/caller';
import { AuditEmitter } from './audit-emitter';

/** One management change: what it touched and the state before and after (never a secret). */
export interface ManagementChange {
  resource: ManagementChangeEvent['resource'];
  resourceId: string | null;
  action: ManagementChangeEvent['action'];
  before: JsonValue | null;
  after: JsonValue | null;
}

/** Config fields whose names suggest a credential; their values never reach the trail. */
const SECRET_NAME = /key|secret|token|password|passwd|credential|authorization|cookie/i;

/**
 * Records changes made through the management API as management-change events on the audit
 * stream, through the same spooled emitter as request events, so they are chained in the
 * tenant's trail and survive a Redis outage. Never fails the change it records.
 */
@Injectable()
export class ManagementAudit {
  constructor(private readonly emitter: AuditEmitter) {}

  /** Records a change `caller` made in the current request. */
  record(caller: Caller, change: ManagementChange): void {
    this.emitter.emit({
      type: 'management_change',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: caller.tenantId,
      requestId: caller.requestId ?? `req_${randomUUID().replace(/-/g, '')}`,
      actorVirtualKeyId: caller.virtualKeyId,
      actorMemberId: null,
      ...change,
    });
  }
}

/** A provider key's metadata as recorded: its secret only as the hint config already keeps. */
export function providerKeyState(key: ProviderKey | undefined): JsonValue | null {
  if (!key) return null;

  return {
    Name: key.name,
    Level: key.level,
    Provider: key.provider,
    Status: key.status,
    ProviderType: key.providerType,
    Config: redactedConfig(key.configJson),
    SecretHint: key.secretHint,
  };
}

/** The routing rules as recorded. */
export function tenantConfigState(config: TenantConfig | undefined): JsonValue | null {
  if (!config) return null;

  return {
    LevelMapper: config.levelMapper,
    ModelMapper: config.modelMapper,
    SwitchOver: config.switchOver,
    DefaultLevel: config.defaultLevel,
  };
}

function redactedConfig(configJson: string): JsonValue {
  try {
    return redact(JSON.parse(configJson || '{}') as JsonValue);
  } catch {
    return null;
  }
}

function redact(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;

  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      SECRET_NAME.test(name) ? '[redacted]' : redact(item),
    ]),
  );
}
