export * from './health-share';
export * from './plan';
