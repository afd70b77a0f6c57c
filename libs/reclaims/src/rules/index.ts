export * from './health-share';
export * from './plan';
export * from './recovery';
export * from './contribution';
export * from './debt';
