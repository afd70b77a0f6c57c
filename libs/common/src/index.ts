export * from './money';
export * from './civil-date';
export * from './bank-holiday-table';
export * from './bacs-calendar';
export * from './canonical-json';
export * from './hash';
export * from './timed';
