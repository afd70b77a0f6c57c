export { createMosaicApplier, readExtract } from './applier';
export { CareImport, ExtractOrderError, importExtract, type ExtractContent, type ExtractOrderRule, type ImportCounts } from './importer';
export { importRawStream, type StreamImportOptions, type StreamImportResult } from './stream-import';
export { bankHash, copyField, dpLine, payeeLine, personLine, termsJson } from './copy-rows';
