import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { GRPC_LOADER_OPTIONS, GRPC_PACKAGES, GrpcServiceName, protoPath } from './proto-files';

/** Per-call options of a {@link GrpcClient}. */
export interface GrpcCallOptions {
  /** Milliseconds before the call fails with DEADLINE_EXCEEDED. */
  deadlineMs?: number;
  /** Extra metadata, for example the request id or a service token. */
  metadata?: Record<string, string>;
}

/** The error a failed call rejects with: the gRPC status and the server's message. */
export class GrpcCallException extends Error {
  constructor(
    readonly method: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`${method} failed: ${grpc.status[code]}: ${details}`);
    this.name = GrpcCallException.name;
  }
}

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

const SERVICE_NAMES: Record<GrpcServiceName, string> = {
  keyVault: 'KeyVaultService',
  config: 'ConfigService',
  auditLog: 'AuditLogService',
};

/**
 * Channel options. grpc-js backs off between reconnection attempts up to 120 s by default, so
 * after a restart of the server a client kept failing fast (UNAVAILABLE) for seconds after the
 * server was back; a short, capped backoff makes it follow the server within about a second,
 * at the cost of one connection attempt a second while it is down. Keepalive pings find a
 * connection the server dropped without a goodbye (a killed process, a lost node) in seconds.
 */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.min_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};

/** How long a call waits for a reconnecting channel (about the longest reconnect backoff). */
const RECONNECT_WAIT_MS = 1_200;

/**
 * A promise-based client for one of the router's gRPC services. `Methods` maps each RPC name
 * (lowerCamelCase, as proto-loader exposes them) to its request and response types.
 */
export class GrpcClient<Methods extends { [M in keyof Methods]: { req: unknown; res: unknown } }> {
  private readonly client: grpc.Client;

  constructor(
    service: GrpcServiceName,
    url: string,
    private readonly defaults: GrpcCallOptions = {},
  ) {
    const definition = protoLoader.loadSync(protoPath(service), GRPC_LOADER_OPTIONS);
    const packageObject = grpc.loadPackageDefinition(definition);
    const path = `${GRPC_PACKAGES[service]}.${SERVICE_NAMES[service]}`.split('.');
    const ctor = path.reduce<unknown>(
      (node, part) => (node as Record<string, unknown>)[part],
      packageObject,
    ) as grpc.ServiceClientConstructor;
    this.client = new ctor(url, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  /** Calls one unary RPC. Rejects with {@link GrpcCallException} on a non-OK status. */
  call<M extends keyof Methods & string>(
    method: M,
    request: Methods[M]['req'],
    options: GrpcCallOptions = {},
  ): Promise<Methods[M]['res']> {
    const deadlineMs = options.deadlineMs ?? this.defaults.deadlineMs ?? 5_000;
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries({ ...this.defaults.metadata, ...options.metadata })) {
      metadata.set(key, value);
    }
    const fn = (this.client as unknown as Record<string, UnaryMethod>)[method];
    const deadline = Date.now() + deadlineMs;
    const send = () =>
      new Promise<Methods[M]['res']>((resolve, reject) => {
        fn.call(this.client, request, metadata, { deadline }, (error, response) => {
          if (error) reject(new GrpcCallException(method, error.code, error.details));
          else resolve(response);
        });
      });

    return this.reconnecting() ? this.settle(deadline).then(send) : send();
  }

  /**
   * Whether the channel lost its server and waits to try again. grpc-js fails calls at once
   * then, even when the server is back and the next attempt is a moment away.
   */
  private reconnecting(): boolean {
    const state = this.client.getChannel().getConnectivityState(true);

    return state === grpc.connectivityState.TRANSIENT_FAILURE;
  }

  /**
   * Waits, at most {@link RECONNECT_WAIT_MS} and never past `deadline`, for the channel to
   * connect again, so a call made while the server restarts goes out as soon as it is back
   * (the call is sent either way; it fails as before if the server is still away).
   */
  private settle(deadline: number): Promise<void> {
    const until = Math.min(deadline, Date.now() + RECONNECT_WAIT_MS);

    return new Promise((resolve) => this.client.waitForReady(until, () => resolve()));
  }

  /** Resolves once the channel is connected, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.waitForReady(Date.now() + timeoutMs, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }
}
