/** Enum values as proto-loader renders them (enums: String). */
export type VirtualKeyRole =
  | 'VIRTUAL_KEY_ROLE_UNSPECIFIED'
  | 'VIRTUAL_KEY_ROLE_OWNER'
  | 'VIRTUAL_KEY_ROLE_MEMBER'
  | 'VIRTUAL_KEY_ROLE_RECOVERY';

export interface VirtualKey {
  id: string;
  tenantId: string;
  role: VirtualKeyRole;
  name: string;
  /** A non-secret prefix, for display. */
  hint: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; absent when the key does not expire. */
  expiresAt?: string;
}

export interface ProviderKey {
  id: string;
  tenantId: string;
  name: string;
  level: number;
  provider: string;
  status: boolean;
  providerType: string;
  configJson: string;
  secretHint: string;
  createdAt: string;
  updatedAt: string;
}

export interface TenantConfig {
  levelMapper: string;
  modelMapper: string;
  switchOver: string;
  defaultLevel: number;
  version: number;
}

export interface BootstrapOwnerRequest {
  virtualKeyHash: string;
  virtualKeyHint: string;
}

export interface BootstrapOwnerResponse {
  created: boolean;
  virtualKey?: VirtualKey | null;
}

export interface ResolveVirtualKeyRequest {
  virtualKeyHash: string;
}

export interface ResolveVirtualKeyResponse {
  virtualKey: VirtualKey;
}

export interface GetRoutingSnapshotRequest {
  tenantId: string;
}

export interface GetRoutingSnapshotResponse {
  config: TenantConfig;
  providerKeys: ProviderKey[];
}

export interface CreateProviderKeyRequest {
  tenantId: string;
  id: string;
  name: string;
  level: number;
  provider: string;
  status: boolean;
  providerType: string;
  configJson: string;
  secretHint: string;
}

export interface CreateProviderKeyResponse {
  providerKey: ProviderKey;
}

export interface ListProviderKeysRequest {
  tenantId: string;
}

export interface ListProviderKeysResponse {
  providerKeys: ProviderKey[];
}

/** Only the fields that are present change. */
export interface UpdateProviderKeyRequest {
  tenantId: string;
  id: string;
  name?: string;
  level?: number;
  provider?: string;
  status?: boolean;
  providerType?: string;
  configJson?: string;
  secretHint?: string;
}

export interface UpdateProviderKeyResponse {
  providerKey: ProviderKey;
}

export interface DeleteProviderKeyRequest {
  tenantId: string;
  id: string;
}

export type DeleteProviderKeyResponse = Record<string, never>;

export interface GetTenantConfigRequest {
  tenantId: string;
}

export interface GetTenantConfigResponse {
  config: TenantConfig;
}

/** Only the fields that are present change. */
export interface UpdateTenantConfigRequest {
  tenantId: string;
  levelMapper?: string;
  modelMapper?: string;
  switchOver?: string;
  defaultLevel?: number;
}

export interface UpdateTenantConfigResponse {
  config: TenantConfig;
}

/** The RPCs of `xai.config.v1.ConfigService`, for {@link GrpcClient}. */
export interface ConfigMethods {
  bootstrapOwner: { req: BootstrapOwnerRequest; res: BootstrapOwnerResponse };
  resolveVirtualKey: { req: ResolveVirtualKeyRequest; res: ResolveVirtualKeyResponse };
  getRoutingSnapshot: { req: GetRoutingSnapshotRequest; res: GetRoutingSnapshotResponse };
  createProviderKey: { req: CreateProviderKeyRequest; res: CreateProviderKeyResponse };
  listProviderKeys: { req: ListProviderKeysRequest; res: ListProviderKeysResponse };
  updateProviderKey: { req: UpdateProviderKeyRequest; res: UpdateProviderKeyResponse };
  deleteProviderKey: { req: DeleteProviderKeyRequest; res: DeleteProviderKeyResponse };
  getTenantConfig: { req: GetTenantConfigRequest; res: GetTenantConfigResponse };
  updateTenantConfig: { req: UpdateTenantConfigRequest; res: UpdateTenantConfigResponse };
  issueVirtualKey: { req: IssueVirtualKeyRequest; res: IssueVirtualKeyResponse };
  revokeVirtualKey: { req: RevokeVirtualKeyRequest; res: RevokeVirtualKeyResponse };
  listVirtualKeys: { req: ListVirtualKeysRequest; res: ListVirtualKeysResponse };
  deleteTenant: { req: DeleteTenantRequest; res: DeleteTenantResponse };
}

export interface IssueVirtualKeyRequest {
  tenantId: string;
  id: string;
  virtualKeyHash: string;
  virtualKeyHint: string;
  role: VirtualKeyRole;
  name: string;
}

export interface IssueVirtualKeyResponse {
  virtualKey: VirtualKey;
}

export interface RevokeVirtualKeyRequest {
  tenantId: string;
  id: string;
  /** 0 revokes at once. */
  graceSeconds: number;
}

export interface RevokeVirtualKeyResponse {
  virtualKey: VirtualKey;
}

export interface ListVirtualKeysRequest {
  tenantId: string;
}

export interface ListVirtualKeysResponse {
  virtualKeys: VirtualKey[];
}

export interface DeleteTenantRequest {
  tenantId: string;
}

export interface DeleteTenantResponse {
  deleted: boolean;
  virtualKeysDeleted: number;
  providerKeysDeleted: number;
}
