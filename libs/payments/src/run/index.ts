export * from './plan';
export * from './manifest';
export * from './load';
export * from './store';
export * from './service';
