export * from './tables';
export * from './check';
export * from './load';
