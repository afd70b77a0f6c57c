/** File names derive from (council, runDate, sequence) only: `<COUNCIL>_<YYYYMMDD>_<seq>_<KIND>`. */
import { compactDate } from './dates';
import type { PaymentRunFilesInput } from './model';

export function fileStem(input: Pick<PaymentRunFilesInput, 'council' | 'runDate' | 'sequence'>): string {
  return `${input.council}_${compactDate(input.runDate, 'runDate')}_${input.sequence}`;
}

export const fileNames = {
  sapIdoc: (i: PaymentRunFilesInput) => `${fileStem(i)}_SAP_IDOC.xml`,
  sapCsv: (i: PaymentRunFilesInput) => `${fileStem(i)}_SAP_AP.csv`,
  bacsStd18: (i: PaymentRunFilesInput) => `${fileStem(i)}_BACS_STD18.txt`,
  pain001: (i: PaymentRunFilesInput) => `${fileStem(i)}_PAIN001.xml`,
  cardLoad: (i: PaymentRunFilesInput, provider: string) =>
    `${fileStem(i)}_CARDLOAD_${provider.toUpperCase()}.csv`,
};
