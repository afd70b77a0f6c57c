export * from './errors';
export * from './nhs';
export * from './validator';
export { normaliseInstant } from './fields';
