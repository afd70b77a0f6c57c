export * from './rules';
export * from './files';
export * from './run';
export * from './officer';
