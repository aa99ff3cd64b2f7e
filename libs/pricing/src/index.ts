export * from './cost';
export * from './model-name';
export * from './price-table';
export * from './usd';
