/** A tenant credential that may open the tenant's DEK (see `Credential` in key_vault.proto). */
export interface Credential {
  slotId: string;
  wrappingSecret: Buffer;
}

/** Where a provider key is sent (see `Destination` in key_vault.proto). */
export interface Destination {
  baseUrl: string;
  providerType: string;
  /** Sorted by name, then value (see `DestinationSetting` in key_vault.proto). */
  settings: DestinationSetting[];
}

/** One URL-shaping setting of a provider key's Config. */
export interface DestinationSetting {
  name: string;
  value: string;
}

export interface EncryptProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
  secretKey: string;
  credential: Credential;
  destination: Destination;
  /** Compare-and-set: replace only a ciphertext still at this revision (ABORTED otherwise). */
  expectedRevision?: string;
}

export interface EncryptProviderKeyResponse {
  dekVersion: number;
  /** The stored ciphertext's revision; empty when the call created the keyring. */
  revision?: string;
  /** When the caller's slot stops opening (ISO 8601); empty when it does not expire. */
  slotExpiresAt?: string;
}

export interface DecryptProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
  credential: Credential;
  requestId: string;
  destination: Destination;
}

export interface DecryptProviderKeyResponse {
  secretKey: string;
  /** When the caller's slot stops opening (ISO 8601); empty when it does not expire. */
  slotExpiresAt?: string;
}

export interface DestroyProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
  /** A credential that opens the tenant's keyring. */
  credential: Credential;
}

export interface DestroyProviderKeyResponse {
  destroyed: boolean;
}

/** The RPCs of `xai.keyvault.v1.KeyVaultService`, for {@link GrpcClient}. */
export interface KeyVaultMethods {
  encryptProviderKey: { req: EncryptProviderKeyRequest; res: EncryptProviderKeyResponse };
  decryptProviderKey: { req: DecryptProviderKeyRequest; res: DecryptProviderKeyResponse };
  destroyProviderKey: { req: DestroyProviderKeyRequest; res: DestroyProviderKeyResponse };
  createKeyring: { req: CreateKeyringRequest; res: CreateKeyringResponse };
  addCredentialSlot: { req: AddCredentialSlotRequest; res: AddCredentialSlotResponse };
  removeCredentialSlot: { req: RemoveCredentialSlotRequest; res: RemoveCredentialSlotResponse };
  destroyTenant: { req: DestroyTenantRequest; res: DestroyTenantResponse };
  planKekRotation: { req: PlanKekRotationRequest; res: PlanKekRotationResponse };
  startKekRotation: { req: StartKekRotationRequest; res: StartKekRotationResponse };
  getKekRotationStatus: { req: GetKekRotationStatusRequest; res: GetKekRotationStatusResponse };
  getProviderKeyRevision: {
    req: GetProviderKeyRevisionRequest;
    res: GetProviderKeyRevisionResponse;
  };
  listCustodyRecords: { req: ListCustodyRecordsRequest; res: ListCustodyRecordsResponse };
  purgeCustodyRecords: { req: PurgeCustodyRecordsRequest; res: PurgeCustodyRecordsResponse };
}

export interface GetProviderKeyRevisionRequest {
  tenantId: string;
  providerKeyId: string;
}

export interface GetProviderKeyRevisionResponse {
  /** A digest of the stored ciphertext; empty when none is stored. */
  revision: string;
}

/** Enum values as proto-loader renders them (enums: String). */
export type CustodyRecordKind =
  | 'CUSTODY_RECORD_KIND_UNSPECIFIED'
  | 'CUSTODY_RECORD_KIND_PROVIDER_KEY'
  | 'CUSTODY_RECORD_KIND_CREDENTIAL_SLOT';

/** A ciphertext or credential slot, by address only. */
export interface CustodyRecord {
  tenantId: string;
  kind: CustodyRecordKind;
  id: string;
}

export interface ListCustodyRecordsRequest {
  olderThanSeconds: number;
  /** 0 takes 1 000. */
  limit?: number;
}

export interface ListCustodyRecordsResponse {
  records: CustodyRecord[];
}

export interface PurgeCustodyRecordsRequest {
  records: CustodyRecord[];
  olderThanSeconds: number;
}

export interface PurgeCustodyRecordsResponse {
  records: CustodyRecord[];
}

export interface CreateKeyringRequest {
  tenantId: string;
  credentials: Credential[];
}

export interface CreateKeyringResponse {
  created: boolean;
  dekVersion: number;
}

export interface AddCredentialSlotRequest {
  tenantId: string;
  credential: Credential;
  newCredential: Credential;
}

export interface AddCredentialSlotResponse {
  dekVersion: number;
}

export interface RemoveCredentialSlotRequest {
  tenantId: string;
  slotId: string;
  /** 0 destroys the slot at once. */
  graceSeconds: number;
  /** A credential that opens the tenant's keyring (the removed slot's own, or another). */
  credential: Credential;
}

export interface RemoveCredentialSlotResponse {
  removed: boolean;
  /** ISO 8601; empty when the slot was destroyed at once. */
  expiresAt: string;
}

export interface DestroyTenantRequest {
  tenantId: string;
  destroyedBy: string;
  requestId: string;
  /** A credential that opens the tenant's keyring. */
  credential: Credential;
}

export interface DestroyTenantResponse {
  destroyed: boolean;
  slotsDestroyed: number;
  ciphertextsDestroyed: number;
}

export interface KekVersionUsage {
  kekVersion: number;
  slots: number;
  loaded: boolean;
}

export type PlanKekRotationRequest = Record<string, never>;

export interface PlanKekRotationResponse {
  targetVersion: number;
  versions: KekVersionUsage[];
  slotsToRewrap: number;
  retirableVersions: number[];
}

export interface StartKekRotationRequest {
  /** 0 takes the service's default. */
  batchSize: number;
  /** The KEK version to rewrap to; 0 (or absent) takes the newest loaded. */
  targetVersion?: number;
}

export interface StartKekRotationResponse {
  jobId: string;
  targetVersion: number;
}

/** Enum values as proto-loader renders them (enums: String). */
export type KekRotationState =
  | 'KEK_ROTATION_STATE_UNSPECIFIED'
  | 'KEK_ROTATION_STATE_QUEUED'
  | 'KEK_ROTATION_STATE_RUNNING'
  | 'KEK_ROTATION_STATE_COMPLETED'
  | 'KEK_ROTATION_STATE_FAILED';

export interface GetKekRotationStatusRequest {
  jobId: string;
}

export interface GetKekRotationStatusResponse {
  state: KekRotationState;
  targetVersion: number;
  rewrapped: number;
  skipped: number;
  failed: number;
  error: string;
  plan: PlanKekRotationResponse;
}

/** The gRPC metadata key that carries a calling service's token to key-vault. */
export const SERVICE_TOKEN_METADATA_KEY = 'x-xai-service-token';
