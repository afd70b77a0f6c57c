export * from './data-source';
export * from './migrate';
export { MIGRATIONS } from './migrations';
export * from './inbound';
export * from './repository/copy';
export * from './repository/advisory-lock';
export * from './repository/inbound-file.repository';
export * from './repository/entity-manager';
