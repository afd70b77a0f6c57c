/** Finance files a payment run writes (SAP posting, Bacs Std 18 / pain.001, card loads), and their readers. */
export * from './model';
export * from './errors';
export type { FinanceFileFormat, ReadCredit, ReadResult } from './read-result';
export { writeSapIdoc, readSapIdoc, type SapPostingOptions } from './sap-idoc';
export { writeSapCsv, readSapCsv } from './sap-csv';
export {
  writeBacsStd18, readBacsStd18, validateBacsStd18,
  STD18_LABEL_WIDTH, STD18_RECORD_WIDTH, TX_CONTRA, TX_DIRECT_CREDIT,
} from './bacs-std18';
export { writePain001, readPain001, PAIN001_NAMESPACE } from './pain001';
export { writeCardLoadFile, writeCardLoadFiles, readCardLoad, cardProviders } from './card-load';
export {
  writeRunFiles, readWrittenFile, verifyWrittenFile,
  type RunFileFormats, type RunFiles, type ExpectedFile, type Verification,
} from './run-files';
export {
  writeCheckedRunFiles, writeCheckedRunFilesInThread, verifyFilesInThread, expectedOf, isCardLoadFile,
  type CheckedFile, type CheckedRunFiles, type FileCheck, type FileVerdict,
} from './checked-files';
export { validateRunInput, writtenLines, PAYMENT_REF } from './validate-input';
export { fileNames, fileStem } from './names';
export { bacsText, BACS_CHARSET } from './text';
export { bacsJulian, fromBacsJulian } from './dates';
