export * from './model';
export * from './parsers';
export * from './store';
export * from './returns';
