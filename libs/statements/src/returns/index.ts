export { ARUCS_REASONS, isDeceasedReason, isKnownArucsReason } from './reasons';
export { isArucsHead, parseArucsCsv } from './arucs';
export type { ArucsFile, ArucsItem } from './arucs';
export { isReturnEntry, returnFromArucs, returnFromEntry } from './from-statement';
export type { ReturnDraft } from './from-statement';
export { insertReturns } from './bacs-return.repository';
export { matchReturns } from './match';
export type { ReturnMatchSummary } from './match';
