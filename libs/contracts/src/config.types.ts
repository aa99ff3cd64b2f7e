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
  /** The member the key was issued for; absent for the owner's keys and recovery codes. */
  memberId?: string;
}

/** A member of a tenant, with the ModelMapper rules tried before the owner's. */
export interface Member {
  id: string;
  tenantId: string;
  name: string;
  modelMapper: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
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
  /** Absent from config services older than members. */
  members?: Member[];
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
  createMember: { req: CreateMemberRequest; res: CreateMemberResponse };
  listMembers: { req: ListMembersRequest; res: ListMembersResponse };
  updateMember: { req: UpdateMemberRequest; res: UpdateMemberResponse };
  deleteMember: { req: DeleteMemberRequest; res: DeleteMemberResponse };
}

export interface IssueVirtualKeyRequest {
  tenantId: string;
  id: string;
  virtualKeyHash: string;
  virtualKeyHint: string;
  role: VirtualKeyRole;
  name: string;
  /** Only for the member role; must be a member of the tenant. */
  memberId?: string;
}

export interface IssueVirtualKeyResponse {
  virtualKey: VirtualKey;
}

export interface RevokeVirtualKeyRequest {
  tenantId: string;
  id: string;
  /** 0 revokes at once. */
  graceSeconds: number;
  /** Refuse (ABORTED) unless the key is live with no revocation scheduled yet. */
  onlyIfUnscheduled?: boolean;
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

export interface CreateMemberRequest {
  tenantId: string;
  name: string;
  modelMapper: string;
}

export interface CreateMemberResponse {
  member: Member;
}

export interface ListMembersRequest {
  tenantId: string;
}

export interface ListMembersResponse {
  members: Member[];
}

/** Only the fields that are present change. */
export interface UpdateMemberRequest {
  tenantId: string;
  id: string;
  name?: string;
  modelMapper?: string;
}

export interface UpdateMemberResponse {
  member: Member;
}

export interface DeleteMemberRequest {
  tenantId: string;
  id: string;
}

export interface DeleteMemberResponse {
  revokedVirtualKeyIds: string[];
}
