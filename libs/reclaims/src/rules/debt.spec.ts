// Debt follow-up, by hand:
//   A  raised 4 Jan, 545.71; open 545.71 on 1 Mar            -> OUTSTANDING, paid 0, age 56 days (31-60)
//   B  raised 4 Jan, 137.14; open  37.14                      -> PART_PAID, paid 100.00, 37.14 in 31-60
//   C  raised 4 Jan,  85.71; not listed                       -> PAID (cleared), paid 85.71
//   D  raised 2 Mar (after the extract's date)               -> left as it is
//   E  raised 20 Jan, a credit note of -32.00; open -32.00    -> OUTSTANDING (not aged: nothing is owed to us)
//   F  raised 1 Nov 2026, 514.29, open 514.29                -> 120 days: 90+
// Aged as of 1 Mar 2027: 31-60: A 54571 + B 3714 = 58285 (2 invoices); 90+: F 51429; total 109714.
import { agedDebt, settle, type InvoiceBalance } from './debt';

const inv = (id: string, raisedOn: string, totalPence: bigint): InvoiceBalance => ({ id, raisedOn, totalPence, paidPence: 0n, settlement: 'OUTSTANDING' });
const invoices = [
  inv('HCC-HR-A', '2027-01-04', 54571n), inv('HCC-HR-B', '2027-01-04', 13714n), inv('HCC-HR-C', '2027-01-04', 8571n),
  inv('HCC-HR-D', '2027-03-02', 1000n), inv('HCC-HR-E', '2027-01-20', -3200n), inv('HCC-RC-F', '2026-11-01', 51429n),
];
const ours = (id: string) => id.startsWith('HCC-');
const item = (invoiceId: string, openPence: bigint, record: number, asOf = '2027-03-01') => ({ invoiceId, openPence, asOf, record });

it('marks invoices outstanding, part-paid or paid from the open items', () => {
  const r = settle(invoices, [item('HCC-HR-A', 54571n, 2), item('HCC-HR-B', 3714n, 3), item('SAP-OTHER-1', 999n, 4), item('HCC-HR-E', -3200n, 5), item('HCC-RC-F', 51429n, 6)], ours);
  expect(r).toEqual({
    ok: true,
    asOf: '2027-03-01',
    ignored: 1,
    changes: [
      { id: 'HCC-HR-B', paidPence: 10000n, settlement: 'PART_PAID' },
      { id: 'HCC-HR-C', paidPence: 8571n, settlement: 'PAID' },
    ],
  });
  const after = invoices.map((i) => {
    const c = r.ok ? r.changes.find((x) => x.id === i.id) : undefined;
    return c ? { ...i, ...c } : i;
  });
  expect(agedDebt(after, '2027-03-01')).toEqual({
    asOf: '2027-03-01',
    bands: [
      { band: '0-30', invoices: 0, outstandingPence: 0n },
      { band: '31-60', invoices: 2, outstandingPence: 58285n },
      { band: '61-90', invoices: 0, outstandingPence: 0n },
      { band: '90+', invoices: 1, outstandingPence: 51429n },
    ],
    totalPence: 109714n,
  });
});

it('rejects an extract naming an unknown invoice, an open amount beyond the total, or two dates', () => {
  expect(settle(invoices, [item('HCC-HR-Z', 1n, 2), item('HCC-HR-A', 60000n, 3), item('HCC-HR-B', 1n, 4, '2027-03-02')], ours)).toEqual({
    ok: false,
    problems: [
      { record: 2, field: 'invoice_id', rule: 'UNKNOWN_INVOICE' },
      { record: 3, field: 'open_amount', rule: 'OPEN_EXCEEDS_TOTAL' },
      { record: 4, field: 'as_of', rule: 'MIXED_AS_OF' },
    ],
  });
});
