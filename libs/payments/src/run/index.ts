export * from './plan';
export * from './manifest';
export * from './load';
export { findRunManifest, markRunDelivered, storePlan, type RunManifestRow, type RunRow } from './payment-run.repository';
export * from './service';
