/**
 * A small valid extract for tests. Hand-derived facts (extract date 2026-11-23):
 * - DP1 open, rate in force 162.50 (from 2026-10-05).
 * - DP2's person P2 died 2026-11-01, before the extract date: excluded from the total.
 * - DP3 ended 2026-11-22: excluded.
 * So totalWeeklyGross = 162.50.
 */
export const BASE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<MosaicExport xmlns="urn:dpbridge:mosaic-export:1" extractId="HCC-20261123-0100" council="HCC" generatedAt="2026-11-23T01:00:00Z" kind="FULL">
  <Person id="P1" nhsNumber="9434765919" restricted="N" dateOfBirth="1950-03-02" dateOfDeath="">
    <Name title="Mrs" first="Ann" last="Smith"/>
    <Address line1="1 High Street" town="Winchester" postcode="SO23 8UJ"/>
  </Person>
  <Person id="P2" nhsNumber="" restricted="Y" dateOfBirth="1960-01-01" dateOfDeath="2026-11-01"/>
  <Payee id="PY1" vendorNo="4000123" accountType="BANK">
    <BankAccount sortCode="089999" accountNumber="66374958" accountName="A SMITH DP ACCOUNT"/>
  </Payee>
  <Payee id="PY2" vendorNo="" accountType="CARD">
    <CardAccount provider="ALLPAY" accountRef="AP0012345"/>
  </Payee>
  <DirectPayment id="DP1" personId="P1" payeeId="PY1" recipientRole="SELF" frequency="FOUR_WEEKLY" basis="NET" fundingStream="JOINT" costCentre="ASC1234" glAccount="540100" start="2026-04-06" end="" lastReviewDate="2026-05-01" cashAllowed="N">
    <Rate from="2026-04-06" weeklyGross="150.00"/>
    <Rate from="2026-10-05" weeklyGross="162.50"/>
    <Contribution from="2026-04-06" weekly="20.00"/>
    <Suspension from="2026-08-10" to="2026-08-23" reason="HOSPITAL"/>
    <OneOff id="OO1" payDate="2026-11-30" amount="250.00" reason="EQUIPMENT"/>
    <Split partner="ICB-QRL" from="2026-04-06" healthPct="50.00"/>
  </DirectPayment>
  <DirectPayment id="DP2" personId="P2" payeeId="PY2" recipientRole="NOMINATED" frequency="WEEKLY" basis="GROSS" fundingStream="S117" costCentre="ASC1" glAccount="540100" start="2026-01-05" end="" lastReviewDate="" cashAllowed="">
    <Rate from="2026-01-05" weeklyGross="99.99"/>
  </DirectPayment>
  <DirectPayment id="DP3" personId="P1" payeeId="PY2" recipientRole="AUTHORISED" frequency="MONTHLY" basis="NET" fundingStream="LA" costCentre="ASC1" glAccount="540100" start="2025-01-06" end="2026-11-22" lastReviewDate="" cashAllowed="Y">
    <Rate from="2025-01-06" weeklyGross="10.00"/>
  </DirectPayment>
  <Trailer persons="2" payees="2" directPayments="3" totalWeeklyGross="162.50"/>
</MosaicExport>
`;

/** Replaces exactly one occurrence of `from` (throws if absent or ambiguous, to keep tests honest). */
export function edit(xml: string, from: string, to: string): string {
  const i = xml.indexOf(from);
  if (i < 0 || xml.indexOf(from, i + 1) >= 0) throw new Error(`edit: "${from}" must occur exactly once`);
  return xml.slice(0, i) + to + xml.slice(i + from.length);
}
