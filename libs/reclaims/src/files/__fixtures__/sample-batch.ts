/** A fixed night's AR batch for the golden files and round trips (test-only; NHS numbers are test numbers). */
import type { ArBatch, ArSettings } from '../model';

export const SETTINGS: ArSettings = {
  council: 'HCC', companyCode: 'HC01', docType: 'DR', currency: 'GBP', incomeGlAccount: '480200', costCentre: 'CC4090',
  customers: { 'ICB-QRL': '7000101' },
};

// ICB-QRL, January 2027 at 40%: DP1 62000 cost -> 24800; plus the December adjustment of -3200
// (a backdated split): total 21600. ICB-BBB: an adjustments-only credit note of -3200.
export function sampleBatch(): ArBatch {
  return {
    batchId: 'HCC-AR-20270201-1',
    nightDate: '2027-02-01',
    invoices: [
      {
        id: 'HCC-HR-ICBBBB-20270201A', kind: 'HEALTH_RECLAIM', customer: 'ICB-BBB', periodFrom: '2027-02-01', periodTo: '2027-02-01', reason: null, totalPence: -3200n,
        lines: [
          { lineNo: 1, dpId: 'DP2', personId: 'P2', nhsNumber: null, month: '2026-12', from: '2026-12-16', to: '2026-12-31', costPence: 0n, healthBasisPoints: 4000n, amountPence: -3200n, adjustment: true },
        ],
      },
      {
        id: 'HCC-HR-ICBQRL-202701', kind: 'HEALTH_RECLAIM', customer: 'ICB-QRL', periodFrom: '2027-01-01', periodTo: '2027-01-31', reason: null, totalPence: 21600n,
        lines: [
          { lineNo: 1, dpId: 'DP1', personId: 'P1', nhsNumber: '9434765919', month: '2026-12', from: '2026-12-01', to: '2026-12-31', costPence: 0n, healthBasisPoints: 4000n, amountPence: -3200n, adjustment: true },
          { lineNo: 2, dpId: 'DP1', personId: 'P1', nhsNumber: '9434765919', month: '2027-01', from: '2027-01-01', to: '2027-01-31', costPence: 62000n, healthBasisPoints: 4000n, amountPence: 24800n, adjustment: false },
        ],
      },
    ],
  };
}
