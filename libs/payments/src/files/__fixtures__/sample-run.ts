/**
 * The fixed input behind the golden files: three credits, one netting a negative ADJUSTMENT
 * and carrying a zero-payable line, one to a card provider's funding account with its card load.
 * Hand totals: 575.72 + (520.00 - 30.00 + 0.00) + 260.00 = 1325.72, i.e. 132572 pence.
 * Names and bank details are invented.
 */
import type { PaymentRunFilesInput } from '../model';

export const SAMPLE_TOTAL_PENCE = 132572n;
export const SAMPLE_REFS = ['HCC0001Q7', 'HCC0002K3', 'HCC0003B9'];

export function sampleRun(): PaymentRunFilesInput {
  return {
    runId: 'HCC-20261209-1',
    council: 'HCC',
    runDate: '2026-12-09',
    processingDate: '2026-12-10',
    entryDate: '2026-12-11',
    sequence: 1,
    settings: {
      council: 'HCC',
      sapCompanyCode: 'HC01',
      sapDocTypePayment: 'KR',
      currency: 'GBP',
      bacsServiceUserNumber: '123456',
      originatorName: 'HCC Direct Pay',
      originatingSortCode: '401276',
      originatingAccountNumber: '12345678',
      originatingAccountName: 'HCC DP Account',
      debtorName: 'Example County Council',
    },
    credits: [
      {
        paymentRef: 'HCC0001Q7',
        endToEndId: 'HCC-20261209-1-HCC0001Q7',
        payeeId: 'PY100',
        vendorNo: '100234',
        sortCode: '200415',
        accountNumber: '38290008',
        accountName: "Mrs Zoë O'Neill-Smith",
        amountPence: 57572n,
        lines: [
          { dpId: 'DP5001', kind: 'REGULAR', periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC4010', glAccount: '520100', payablePence: 57572n },
        ],
      },
      {
        paymentRef: 'HCC0002K3',
        endToEndId: 'HCC-20261209-1-HCC0002K3',
        payeeId: 'PY200',
        vendorNo: '100877',
        sortCode: '309634',
        accountNumber: '11223344',
        accountName: 'J Smith & Co',
        amountPence: 49000n,
        lines: [
          { dpId: 'DP5002', kind: 'REGULAR', periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC4010', glAccount: '520100', payablePence: 52000n },
          { dpId: 'DP5002', kind: 'ADJUSTMENT', periodStart: '2026-11-16', periodEnd: '2026-12-13', costCentre: 'CC4010', glAccount: '520100', payablePence: -3000n },
          { dpId: 'DP5003', kind: 'REGULAR', periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC4010', glAccount: '520100', payablePence: 0n },
        ],
      },
      {
        paymentRef: 'HCC0003B9',
        endToEndId: 'HCC-20261209-1-HCC0003B9',
        payeeId: 'PY300',
        vendorNo: '900001',
        sortCode: '601613',
        accountNumber: '87654321',
        accountName: 'Allpay Ltd Client Funding',
        amountPence: 26000n,
        lines: [
          { dpId: 'DP5004', kind: 'REGULAR', periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC4020', glAccount: '520110', payablePence: 26000n },
        ],
      },
    ],
    cardLoads: [
      { provider: 'ALLPAY', accountRef: 'AP0000123456', payeeId: 'PY300', amountPence: 26000n, reference: 'HCC0003B9' },
    ],
  };
}
