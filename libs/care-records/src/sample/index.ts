export * from './prng';
export * from './generator';
export * from './writers';
export * from './content';
