/** One upstream attempt of a request. */
export interface AttemptDetailMessage {
  providerKeyId: string;
  /** 0 when no answer came. */
  status: number;
  errorClass: string;
  ms: number;
}

export interface AuditRecord {
  eventId: string;
  requestId: string;
  tenantId: string;
  virtualKeyId: string;
  providerKeyId: string;
  level: number;
  requestedModel: string;
  upstreamModel: string;
  endpoint: string;
  status: number;
  errorCode: string;
  stream: boolean;
  attempts: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  createdAt: string;
  memberId?: string;
  providerType?: string;
  errorClass?: string;
  attemptsDetail?: AttemptDetailMessage[];
  /** Unset when no byte was sent back. */
  ttftMs?: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  /** US dollars as a decimal; '' when unknown. */
  costUsd?: string;
  /** `table:<version>`, `override` or `provider`; '' when unknown. */
  priceSource?: string;
  hasUsage?: boolean;
  chainSeq?: number;
  /** What audit-log corrected at ingest, comma-separated; '' when nothing. */
  ingestFlags?: string;
}

export interface QueryAuditRequest {
  tenantId: string;
  requestId?: string;
  limit?: number;
  cursor?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  virtualKeyId?: string;
  providerKeyId?: string;
  /** Matches the requested or the upstream model. */
  model?: string;
  /** 0 or unset: any. */
  status?: number;
  /** `2xx`, `4xx` or `5xx`. */
  statusClass?: string;
}

export interface QueryAuditResponse {
  records: AuditRecord[];
  nextCursor: string;
}

export interface VerifyAuditRequest {
  /** Empty: every tenant. */
  tenantId?: string;
  /** Walk from each chain's start, not from the last verified position. */
  full?: boolean;
}

/** The first entry of a chain that does not verify. */
export interface BrokenLink {
  tenantId: string;
  seq: number;
  eventId: string;
  kind: string;
  /**
   * `hash_mismatch`, `prev_hash_mismatch`, `missing_entry`, `duplicate_entry`,
   * `checkpoint_mismatch`, `verified_mark_mismatch` or `head_mismatch`.
   */
  reason: string;
}

export interface ChainHead {
  tenantId: string;
  seq: number;
  /** Hex. */
  hash: string;
  /** Where the check started: `genesis`, `retention_checkpoint` or `verified_mark`. */
  anchor?: string;
  /** That anchor's position. */
  anchorSeq?: number;
}

export interface VerifyAuditResponse {
  ok: boolean;
  tenantsChecked: number;
  entriesChecked: number;
  /** Null (or undefined) when ok. */
  firstBroken?: BrokenLink | null;
  heads: ChainHead[];
}

export type UsageGroupBy =
  | 'USAGE_GROUP_BY_UNSPECIFIED'
  | 'USAGE_GROUP_BY_DAY'
  | 'USAGE_GROUP_BY_MODEL'
  | 'USAGE_GROUP_BY_PROVIDER_KEY'
  | 'USAGE_GROUP_BY_VIRTUAL_KEY';

export interface QueryUsageRequest {
  tenantId: string;
  groupBy?: UsageGroupBy;
  /** ISO 8601; rounded down to the hour. */
  from?: string;
  /** ISO 8601, exclusive; rounded up to the hour. */
  to?: string;
}

export interface UsageRow {
  key: string;
  requests: number;
  errors: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** US dollars as a decimal. */
  costUsd: string;
  unpricedRequests: number;
}

export interface QueryUsageResponse {
  rows: UsageRow[];
  total: UsageRow | null;
  from: string;
  to: string;
}

/** A model's price in US dollars per million tokens, as decimals. */
export interface ModelPriceMessage {
  model: string;
  provider?: string;
  inputPerMtok: string;
  /** '' when the same as input. */
  cachedInputPerMtok?: string;
  outputPerMtok: string;
  /** '' when the same as output. */
  reasoningPerMtok?: string;
}

export interface ListPricesRequest {
  tenantId: string;
}

export interface ListPricesResponse {
  tableVersion: string;
  tableSources: string[];
  prices: ModelPriceMessage[];
  overrides: ModelPriceMessage[];
}

export interface SetPriceOverrideRequest {
  tenantId: string;
  price: ModelPriceMessage;
}

export interface SetPriceOverrideResponse {
  price: ModelPriceMessage;
  previous?: ModelPriceMessage | null;
}

export interface DeletePriceOverrideRequest {
  tenantId: string;
  model: string;
}

export interface DeletePriceOverrideResponse {
  previous?: ModelPriceMessage | null;
}

/** One provider-key use by key-vault. Empty strings stand for "none". */
export interface KeyUseRecord {
  eventId: string;
  tenantId: string;
  providerKeyId: string;
  operation: string;
  requestId: string;
  slotId: string;
  outcome: string;
  createdAt: string;
  chainSeq: number;
}

export interface QueryKeyUsesRequest {
  tenantId: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  providerKeyId?: string;
  requestId?: string;
  limit?: number;
  cursor?: string;
}

export interface QueryKeyUsesResponse {
  records: KeyUseRecord[];
  nextCursor: string;
}

/** One management change; `beforeJson` / `afterJson` are JSON, '' when absent. */
export interface ChangeRecord {
  eventId: string;
  tenantId: string;
  requestId: string;
  actorVirtualKeyId: string;
  actorMemberId: string;
  resource: string;
  resourceId: string;
  action: string;
  beforeJson: string;
  afterJson: string;
  createdAt: string;
  chainSeq: number;
}

export interface QueryChangesRequest {
  tenantId: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  resource?: string;
  limit?: number;
  cursor?: string;
}

export interface QueryChangesResponse {
  records: ChangeRecord[];
  nextCursor: string;
}

/** The RPCs of `xai.auditlog.v1.AuditLogService`, for {@link GrpcClient}. */
export interface AuditLogMethods {
  queryAudit: { req: QueryAuditRequest; res: QueryAuditResponse };
  verifyAudit: { req: VerifyAuditRequest; res: VerifyAuditResponse };
  queryUsage: { req: QueryUsageRequest; res: QueryUsageResponse };
  listPrices: { req: ListPricesRequest; res: ListPricesResponse };
  setPriceOverride: { req: SetPriceOverrideRequest; res: SetPriceOverrideResponse };
  deletePriceOverride: { req: DeletePriceOverrideRequest; res: DeletePriceOverrideResponse };
  queryKeyUses: { req: QueryKeyUsesRequest; res: QueryKeyUsesResponse };
  queryChanges: { req: QueryChangesRequest; res: QueryChangesResponse };
}
