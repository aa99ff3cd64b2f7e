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
}

export interface QueryAuditRequest {
  tenantId: string;
  requestId?: string;
  limit?: number;
  cursor?: string;
}

export interface QueryAuditResponse {
  records: AuditRecord[];
  nextCursor: string;
}

/** The RPCs of `xai.auditlog.v1.AuditLogService`, for {@link GrpcClient}. */
export interface AuditLogMethods {
  queryAudit: { req: QueryAuditRequest; res: QueryAuditResponse };
}
