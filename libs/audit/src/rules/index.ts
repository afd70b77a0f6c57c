export * from './model';
export * from './window';
export * from './balance';
export * from './contributions';
export * from './surplus';
export * from './flags';
export * from './review';
export * from './audit';
