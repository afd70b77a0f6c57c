/**
 * Care-record extracts built in code for payment tests, imported as the nightly care stage would
 * (ledger row and importExtract in one transaction).
 */
import { sha256Hex } from '@dpb/common';
import { importExtract, type ExtractContent } from '@dpb/care-records/import/importer';
import type { DirectPayment, Payee, Person } from '@dpb/care-records';
import type { Harness } from './council-harness';

export function person(id: string): Person {
  return {
    id,
    restricted: false,
    dateOfDeath: null,
    nhsNumberValid: null,
    personal: { nhsNumber: null, dateOfBirth: null, title: null, firstName: null, lastName: null, address: { line1: null, town: null, postcode: null } },
  };
}

export function bankPayee(id: string, accountNumber = '66374958'): Payee {
  return { id, vendorNo: `V${id}`, accountType: 'BANK', bank: { sortCode: '089999', accountNumber, accountName: `ACCOUNT ${id}`, modulusValid: true }, card: null };
}

export function weeklyDp(id: string, personId: string, payeeId: string, start: string, weeklyGross: bigint, over: Partial<DirectPayment> = {}): DirectPayment {
  return {
    id, personId, payeeId, recipientRole: 'SELF', frequency: 'WEEKLY', basis: 'NET', fundingStream: 'LA', costCentre: 'ASC1', glAccount: '540100',
    start, end: null, lastReviewDate: null, cashAllowed: false,
    rates: [{ from: start, weeklyGrossPence: weeklyGross }], contributions: [], suspensions: [], oneOffs: [], splits: [],
    ...over,
  };
}

export async function importContent(h: Harness, generatedAt: string, persons: Person[], payees: Payee[], dps: DirectPayment[]): Promise<void> {
  const x: ExtractContent = {
    header: { extractId: `${h.code}-${generatedAt}`, council: h.code, generatedAt, kind: 'FULL', extractDate: generatedAt.slice(0, 10) },
    persons, payees, directPayments: dps,
  };
  await h.ds.transaction(async (m) => {
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, $2, 1, $3, 'APPLIED') RETURNING id`,
      [h.code, `${x.header.extractId}.xml`, sha256Hex(x.header.extractId)],
    );
    await importExtract(m, h.code, id, x);
  });
}
