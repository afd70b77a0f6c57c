export * from './bank-sample';
