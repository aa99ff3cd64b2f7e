import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Options shared by every gRPC server and client so both sides agree on the JS shape of a
 * message: camelCase fields, enums as their names, 64-bit integers as numbers, unset scalars as
 * their zero value, and proto3 `optional` fields left out when unset.
 */
export const GRPC_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [] as string[],
};

/** The fully qualified service names, as declared in `proto/`. */
export const GRPC_PACKAGES = {
  keyVault: 'xai.keyvault.v1',
  config: 'xai.config.v1',
  auditLog: 'xai.auditlog.v1',
} as const;

/** The `.proto` file of each service, relative to the proto root. */
const PROTO_FILES = {
  keyVault: 'xai/keyvault/v1/key_vault.proto',
  config: 'xai/config/v1/config.proto',
  auditLog: 'xai/auditlog/v1/audit_log.proto',
} as const;

export type GrpcServiceName = keyof typeof PROTO_FILES;

let protoRoot: string | undefined;

/**
 * The workspace's `proto/` folder, found by walking up from this file so it works from the
 * TypeScript sources and from the compiled `dist/` tree alike.
 */
export function findProtoRoot(): string {
  if (protoRoot) return protoRoot;

  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'proto', 'xai');
    if (existsSync(candidate)) {
      protoRoot = join(dir, 'proto');

      return protoRoot;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No proto/ folder above ${__dirname}`);
    dir = parent;
  }
}

/** The absolute path of a service's `.proto` file. */
export function protoPath(service: GrpcServiceName): string {
  return join(findProtoRoot(), PROTO_FILES[service]);
}
