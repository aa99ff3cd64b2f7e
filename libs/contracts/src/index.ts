export * from './audit-log.types';
export * from './config.types';
export * from './grpc-client';
export * from './key-vault.types';
export * from './proto-files';
