export * from './plan';
export * from './manifest';
export * from './load';
export { storePlan, type RunRow } from './payment-run.repository';
export * from './service';
