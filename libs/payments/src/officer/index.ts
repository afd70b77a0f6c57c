/** Officers' work on payment runs: holds, run release and approval (four eyes), explain. */
export * from './errors';
export * from './officer-action.repository';
export * from './hold-text';
export * from './lines';
export * from './runs';
export * from './explain-amount';
export * from './explain';
export * from './render';
