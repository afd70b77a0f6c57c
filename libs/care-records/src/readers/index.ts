export * from './raw';
export * from './mapping';
export * from './xml';
export * from './csv';
export * from './extract';
export * from './limits';
