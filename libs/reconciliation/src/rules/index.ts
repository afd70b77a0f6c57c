export * from './references';
export * from './card-loads';
export * from './bacs-runs';
export * from './windows';
export * from './bank-credits';
