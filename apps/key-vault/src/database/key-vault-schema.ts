/** The PostgreSQL schema that holds key-vault's tables; no other service reads it. */
export const KEY_VAULT_SCHEMA = 'key_vault';

/** Longest tenant, slot or provider-key id, as the columns allow. */
export const MAX_ID_LENGTH = 200;
