export * from './rules';
export * from './invoice.service';
export * from './invoice.views';
export * from './ar-delivery.service';
export { verifyArFile, buildArOutputs, type ArOutputs, type ArManifest, type PostingFormat } from './files/batch';
export type { InvoiceKind, InvoiceRow, InvoiceLineRow } from './invoice.repository';
export * from './recovery.service';
export * from './contribution.service';
export * from './open-items.applier';
