export * from './rules';
export * from './service';
export * from './liabilities';
export type { AccountKind, LoadedAccount, StoredAudit } from './audit.repository';
export * from './findings';
export * from './pack';
