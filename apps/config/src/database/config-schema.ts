/** The PostgreSQL schema that holds the config service's tables; no other service reads it. */
export const CONFIG_SCHEMA = 'config';
