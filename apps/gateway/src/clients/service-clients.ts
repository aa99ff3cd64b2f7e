import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger, missingServiceToken, ReadinessRegistry } from '@xai/common';
import {
  AuditLogMethods,
  ConfigMethods,
  GrpcCallException,
  GrpcClient,
  KeyVaultMethods,
  SERVICE_TOKEN_METADATA_KEY,
} from '@xai/contracts';
import { status } from '@grpc/grpc-js';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { callerFacingError } from './caller-field';

const READY_TIMEOUT_MS = 1_000;

/** The gateway's gRPC clients of config, key-vault and audit-log, with its deadline. */
@Injectable()
export class ServiceClients implements OnModuleInit, OnModuleDestroy {
  readonly config: GrpcClient<ConfigMethods>;
  readonly keyVault: GrpcClient<KeyVaultMethods>;
  readonly auditLog: GrpcClient<AuditLogMethods>;
  private readonly logger = new AppLogger(ServiceClients.name);

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    const token = this.serviceToken(config);
    const defaults = {
      deadlineMs: config.XAI_GRPC_DEADLINE_MS,
      metadata: token === undefined ? undefined : { [SERVICE_TOKEN_METADATA_KEY]: token },
    };
    this.config = new GrpcClient<ConfigMethods>('config', config.XAI_CONFIG_URL, defaults);
    this.keyVault = new GrpcClient<KeyVaultMethods>('keyVault', config.XAI_KEY_VAULT_URL, defaults);
    this.auditLog = new GrpcClient<AuditLogMethods>('auditLog', config.XAI_AUDIT_LOG_URL, defaults);
  }

  onModuleInit(): void {
    this.readiness.register('config', () => this.config.waitForReady(READY_TIMEOUT_MS));
    this.readiness.register('key-vault', () => this.keyVault.waitForReady(READY_TIMEOUT_MS));
    this.readiness.register('audit-log', () => this.auditLog.waitForReady(READY_TIMEOUT_MS));
  }

  onModuleDestroy(): void {
    this.config.close();
    this.keyVault.close();
    this.auditLog.close();
  }

  /**
   * Every backend refuses callers without the gateway's service token (DESIGN.md section 5), so
   * without one the gateway refuses to start, as they do, rather than fail at its first call;
   * unless development mode has the backends accept any caller (warned here).
   */
  private serviceToken(config: GatewayConfig): string | undefined {
    const token = config.XAI_SERVICE_TOKEN_GATEWAY;
    if (token !== undefined) return token;
    if (!config.XAI_DEV_ALLOW_ANY_CALLER) throw missingServiceToken();
    this.logger.warn(
      'XAI_DEV_ALLOW_ANY_CALLER: calling config, key-vault and audit-log without a service token',
    );

    return undefined;
  }
}

const CLIENT_ERRORS: Partial<Record<status, GatewayErrorCode>> = {
  [status.INVALID_ARGUMENT]: GatewayErrorCode.InvalidRequest,
  [status.NOT_FOUND]: GatewayErrorCode.NotFound,
  [status.ALREADY_EXISTS]: GatewayErrorCode.InvalidRequest,
  [status.FAILED_PRECONDITION]: GatewayErrorCode.InvalidRequest,
  // A compare-and-set lost to a concurrent change of the same record.
  [status.ABORTED]: GatewayErrorCode.Conflict,
};

/**
 * How key-vault's refusals of a caller's credential read to the caller: the credential no longer
 * opens the tenant's keyring, because a concurrent request (another use of the same recovery
 * code, a revocation) destroyed its slot. Only for calls that present the caller's credential;
 * elsewhere PERMISSION_DENIED is a service-token mismatch, a dependency fault.
 */
export const CREDENTIAL_ERRORS: Partial<Record<status, GatewayErrorCode>> = {
  [status.PERMISSION_DENIED]: GatewayErrorCode.Conflict,
};

/**
 * Maps a failed internal call to a gateway error (`extra` adds codes the call's context gives a
 * meaning, such as {@link CREDENTIAL_ERRORS}). Validation answers (INVALID_ARGUMENT,
 * NOT_FOUND, …) keep the service's message, which names the bad field (renamed to the field
 * the caller sent, also given as `param`) and carries no secret;
 * anything else is reported as the dependency being unavailable, without internal detail.
 */
export function fromGrpcError(
  error: unknown,
  what: string,
  extra: Partial<Record<status, GatewayErrorCode>> = {},
): GatewayException {
  if (error instanceof GatewayException) return error;
  if (error instanceof GrpcCallException) {
    const code = extra[error.code] ?? CLIENT_ERRORS[error.code];
    if (code) {
      const { message, param } = callerFacingError(error.details);

      return new GatewayException(code, message, { cause: error, param });
    }
  }

  return new GatewayException(
    GatewayErrorCode.DependencyUnavailable,
    `The router could not ${what} right now; try again shortly.`,
    { cause: error },
  );
}
