/** A tenant credential that may open the tenant's DEK (see `Credential` in key_vault.proto). */
export interface Credential {
  slotId: string;
  wrappingSecret: Buffer;
}

export interface EncryptProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
  secretKey: string;
  credential: Credential;
}

export interface EncryptProviderKeyResponse {
  dekVersion: number;
}

export interface DecryptProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
  credential: Credential;
  requestId: string;
}

export interface DecryptProviderKeyResponse {
  secretKey: string;
}

export interface DestroyProviderKeyRequest {
  tenantId: string;
  providerKeyId: string;
}

export interface DestroyProviderKeyResponse {
  destroyed: boolean;
}

/** The RPCs of `xai.keyvault.v1.KeyVaultService`, for {@link GrpcClient}. */
export interface KeyVaultMethods {
  encryptProviderKey: { req: EncryptProviderKeyRequest; res: EncryptProviderKeyResponse };
  decryptProviderKey: { req: DecryptProviderKeyRequest; res: DecryptProviderKeyResponse };
  destroyProviderKey: { req: DestroyProviderKeyRequest; res: DestroyProviderKeyResponse };
}
