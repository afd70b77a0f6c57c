export * from './data-source';
export * from './migrate';
export { MIGRATIONS } from './migrations';
export * from './inbound';
export * from './copy';
export * from './advisory-lock';
export * from './inbound-file.repository';
export * from './entity-manager';
