export * from './rules';
export * from './files';
