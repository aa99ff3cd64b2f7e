import { createHash, timingSafeEqual } from 'node:crypto';

import type { Metadata } from '@grpc/grpc-js';
import { CanActivate, ExecutionContext, Inject, Injectable, Provider } from '@nestjs/common';
import { SERVICE_TOKEN_METADATA_KEY } from '@xai/contracts';
import { z } from 'zod';

import { ConfigOf, ConfigValidationException, env } from './load-config';
import { AppLogger } from './logger';

/**
 * The environment variables of service identity, for a gRPC server's config schema: the token
 * its callers (the gateway) send, and the development switch that lets any caller in.
 */
export const SERVICE_IDENTITY_ENV = {
  XAI_SERVICE_TOKEN_GATEWAY: {
    schema: z
      .string()
      .min(32)
      .optional()
      .describe('Token the gateway sends as gRPC metadata; other callers are refused'),
    sensitive: true,
  },
  XAI_DEV_ALLOW_ANY_CALLER: {
    schema: env.bool(false, 'Development only: accept calls without a service token'),
  },
};

/** How a gRPC server checks its callers; provided under {@link SERVICE_IDENTITY}. */
export interface ServiceIdentityOptions {
  /** The service's name, for log lines and the start-up error. */
  service: string;
  /** The token callers must present; without one the server refuses to start. */
  token?: string;
  /** Development only: accept any caller when no token is set (warned at boot). */
  allowAnyCaller: boolean;
  /** The service's own exception for a refused caller; its edge maps it to PERMISSION_DENIED. */
  refuse(message: string): Error;
}

/** Injection token of {@link ServiceIdentityOptions}. */
export const SERVICE_IDENTITY = Symbol('ServiceIdentityOptions');

/** The service-identity part of a validated config. */
export type ServiceIdentityConfig = ConfigOf<typeof SERVICE_IDENTITY_ENV>;

/**
 * Provides {@link SERVICE_IDENTITY} for `service` from its validated config (injected under
 * `configToken`), refusing callers with the service's own exception.
 */
export function serviceIdentityProvider(
  configToken: symbol,
  service: string,
  refuse: (message: string) => Error,
): Provider {
  return {
    provide: SERVICE_IDENTITY,
    inject: [configToken],
    useFactory: (config: ServiceIdentityConfig): ServiceIdentityOptions => ({
      service,
      token: config.XAI_SERVICE_TOKEN_GATEWAY,
      allowAnyCaller: config.XAI_DEV_ALLOW_ANY_CALLER,
      refuse,
    }),
  };
}

/**
 * Service identity for gRPC servers (DESIGN.md section 5): a caller proves it is the gateway
 * with a shared token in the `x-xai-service-token` metadata, compared in constant time; any
 * other caller is refused with the service's PERMISSION_DENIED error. Without a token the
 * service refuses to start, unless development mode explicitly allows any caller (then it
 * warns at boot). Non-gRPC contexts (health endpoints) are not its business.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  private readonly logger = new AppLogger(ServiceTokenGuard.name);
  private readonly expectedDigest?: Buffer;

  constructor(@Inject(SERVICE_IDENTITY) private readonly options: ServiceIdentityOptions) {
    if (options.token !== undefined) {
      this.expectedDigest = digest(options.token);
    } else if (options.allowAnyCaller) {
      this.logger.warn(
        `XAI_DEV_ALLOW_ANY_CALLER: any process that reaches ${options.service} may call it`,
      );
    } else {
      throw missingServiceToken();
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc' || !this.expectedDigest) return true;

    const metadata = context.switchToRpc().getContext<Metadata>();
    const presented = metadata.get(SERVICE_TOKEN_METADATA_KEY)[0];
    // Digests of equal length, so the comparison time says nothing about the token.
    if (typeof presented === 'string' && timingSafeEqual(digest(presented), this.expectedDigest)) {
      return true;
    }
    this.logger.warn('caller refused: no valid service token', {
      method: context.getHandler().name,
      tokenPresented: presented !== undefined,
    });

    throw this.options.refuse(`only the gateway may call ${this.options.service}`);
  }
}

/**
 * Why the gateway, or a gRPC server it calls, refuses to start: it has no service token, and
 * development mode does not let it do without one.
 */
export function missingServiceToken(): ConfigValidationException {
  return new ConfigValidationException([
    'XAI_SERVICE_TOKEN_GATEWAY: required (or XAI_DEV_ALLOW_ANY_CALLER=true in development)',
  ]);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
