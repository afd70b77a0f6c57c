export * from './model';
export * from './readers';
export * from './validation';
export * from './modulus';
export * from './sample';
export { createMosaicApplier, readExtract } from './import';
