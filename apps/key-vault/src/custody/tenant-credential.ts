/** A credential of a tenant, as the gateway presents it: which slot, and the secret opening it. */
export interface TenantCredential {
  slotId: string;
  wrappingSecret: Buffer;
}
