/**
 * Council mapping without code: renames of XML elements/attributes and CSV files/columns onto
 * the contract's names. Config supplies it (validate with `parseMosaicMapping`); the canonical
 * model never changes. Every rename is `contract name -> council's name`.
 *
 * Example (YAML):
 *   csv:
 *     columns:
 *       persons: { person_id: PERSON_REF, nhs_number: NHS_NO }
 *     ignoreColumns:
 *       persons: [EXTRACT_ROW_NO]
 *   xml:
 *     namespace: null            # accept any namespace
 *     elements: { DirectPayment: DP }
 *     attributes: { DirectPayment: { glAccount: gl } }
 */
import { z } from 'zod';

export const XML_ELEMENTS = [
  'MosaicExport',
  'Person',
  'Name',
  'Address',
  'Payee',
  'BankAccount',
  'CardAccount',
  'DirectPayment',
  'Rate',
  'Contribution',
  'Suspension',
  'OneOff',
  'Split',
  'Trailer',
] as const;
export type XmlElementName = (typeof XML_ELEMENTS)[number];

export const CSV_FILES = [
  'persons',
  'payees',
  'direct_payments',
  'rates',
  'contributions',
  'suspensions',
  'one_offs',
  'splits',
  'trailer',
] as const;
export type CsvFileName = (typeof CSV_FILES)[number];

export const DEFAULT_NAMESPACE = 'urn:dpbridge:mosaic-export:1';

/** Contract XML attributes per element: attribute name -> raw field name. */
export const XML_ATTRIBUTES: Record<XmlElementName, Record<string, string>> = {
  MosaicExport: { extractId: 'extractId', council: 'council', generatedAt: 'generatedAt', kind: 'kind' },
  Person: {
    id: 'id',
    nhsNumber: 'nhsNumber',
    restricted: 'restricted',
    dateOfBirth: 'dateOfBirth',
    dateOfDeath: 'dateOfDeath',
  },
  Name: { title: 'title', first: 'firstName', last: 'lastName' },
  Address: { line1: 'addressLine1', town: 'town', postcode: 'postcode' },
  Payee: { id: 'id', vendorNo: 'vendorNo', accountType: 'accountType' },
  BankAccount: { sortCode: 'sortCode', accountNumber: 'accountNumber', accountName: 'accountName' },
  CardAccount: { provider: 'cardProvider', accountRef: 'cardAccountRef' },
  DirectPayment: {
    id: 'id',
    personId: 'personId',
    payeeId: 'payeeId',
    recipientRole: 'recipientRole',
    frequency: 'frequency',
    basis: 'basis',
    fundingStream: 'fundingStream',
    costCentre: 'costCentre',
    glAccount: 'glAccount',
    start: 'start',
    end: 'end',
    lastReviewDate: 'lastReviewDate',
    cashAllowed: 'cashAllowed',
  },
  Rate: { from: 'from', weeklyGross: 'weeklyGross' },
  Contribution: { from: 'from', weekly: 'weekly' },
  Suspension: { from: 'from', to: 'to', reason: 'reason' },
  OneOff: { id: 'id', payDate: 'payDate', amount: 'amount', reason: 'reason' },
  Split: { partner: 'partner', from: 'from', healthPct: 'healthPct' },
  Trailer: {
    persons: 'persons',
    payees: 'payees',
    directPayments: 'directPayments',
    totalWeeklyGross: 'totalWeeklyGross',
  },
};

/** Contract CSV columns per file: column name -> raw field name. */
export const CSV_COLUMNS: Record<CsvFileName, Record<string, string>> = {
  persons: {
    person_id: 'id',
    nhs_number: 'nhsNumber',
    restricted: 'restricted',
    date_of_birth: 'dateOfBirth',
    date_of_death: 'dateOfDeath',
    title: 'title',
    first_name: 'firstName',
    last_name: 'lastName',
    address_line1: 'addressLine1',
    town: 'town',
    postcode: 'postcode',
  },
  payees: {
    payee_id: 'id',
    vendor_no: 'vendorNo',
    account_type: 'accountType',
    sort_code: 'sortCode',
    account_number: 'accountNumber',
    account_name: 'accountName',
    card_provider: 'cardProvider',
    card_account_ref: 'cardAccountRef',
  },
  direct_payments: {
    dp_id: 'id',
    person_id: 'personId',
    payee_id: 'payeeId',
    recipient_role: 'recipientRole',
    frequency: 'frequency',
    basis: 'basis',
    funding_stream: 'fundingStream',
    cost_centre: 'costCentre',
    gl_account: 'glAccount',
    start: 'start',
    end: 'end',
    last_review_date: 'lastReviewDate',
    cash_allowed: 'cashAllowed',
  },
  rates: { dp_id: 'dpId', from: 'from', weekly_gross: 'weeklyGross' },
  contributions: { dp_id: 'dpId', from: 'from', weekly: 'weekly' },
  suspensions: { dp_id: 'dpId', from: 'from', to: 'to', reason: 'reason' },
  one_offs: { dp_id: 'dpId', one_off_id: 'id', pay_date: 'payDate', amount: 'amount', reason: 'reason' },
  splits: { dp_id: 'dpId', partner: 'partner', from: 'from', health_pct: 'healthPct' },
  trailer: {
    extract_id: 'extractId',
    council: 'council',
    generated_at: 'generatedAt',
    kind: 'kind',
    persons: 'persons',
    payees: 'payees',
    direct_payments: 'directPayments',
    total_weekly_gross: 'totalWeeklyGross',
  },
};

const renames = z.record(z.string(), z.string().min(1));
const elementKey = z.enum(XML_ELEMENTS);
const fileKey = z.enum(CSV_FILES);

export const mosaicMappingSchema = z
  .object({
    xml: z
      .object({
        namespace: z.string().nullable().optional(),
        elements: z.partialRecord(elementKey, z.string().min(1)).optional(),
        attributes: z.partialRecord(elementKey, renames).optional(),
        ignoreAttributes: z.partialRecord(elementKey, z.array(z.string().min(1))).optional(),
      })
      .strict()
      .optional(),
    csv: z
      .object({
        files: z.partialRecord(fileKey, z.string().min(1)).optional(),
        columns: z.partialRecord(fileKey, renames).optional(),
        ignoreColumns: z.partialRecord(fileKey, z.array(z.string().min(1))).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type MosaicMapping = z.infer<typeof mosaicMappingSchema>;

/** Validates a mapping from config (throws a readable error naming the bad keys). */
export function parseMosaicMapping(input: unknown): MosaicMapping {
  const m = mosaicMappingSchema.parse(input);
  // Check every rename targets a contract name, and resolve once to catch collisions.
  for (const el of XML_ELEMENTS)
    resolveNames(`xml ${el}`, XML_ATTRIBUTES[el], m.xml?.attributes?.[el], m.xml?.ignoreAttributes?.[el]);
  for (const f of CSV_FILES)
    resolveNames(`csv ${f}`, CSV_COLUMNS[f], m.csv?.columns?.[f], m.csv?.ignoreColumns?.[f]);
  return m;
}

export interface ResolvedNames {
  /** Source name -> raw field name. */
  fields: Map<string, string>;
  /** Source names to skip silently. */
  ignored: Set<string>;
  /** Source name -> contract name (for error reports). */
  contractName: Map<string, string>;
}

/** Applies renames (contract name -> source name) to a contract name table. */
export function resolveNames(
  where: string,
  contract: Record<string, string>,
  rename: Record<string, string> | undefined,
  ignore: string[] | undefined,
): ResolvedNames {
  const fields = new Map<string, string>();
  const contractName = new Map<string, string>();
  for (const key of Object.keys(rename ?? {})) {
    if (!(key in contract)) throw new Error(`mapping ${where}: "${key}" is not a contract name`);
  }
  for (const [name, field] of Object.entries(contract)) {
    const source = rename?.[name] ?? name;
    if (fields.has(source)) throw new Error(`mapping ${where}: two names map to "${source}"`);
    fields.set(source, field);
    contractName.set(source, name);
  }
  const ignored = new Set(ignore ?? []);
  for (const i of ignored)
    if (fields.has(i)) throw new Error(`mapping ${where}: "${i}" is both mapped and ignored`);
  return { fields, ignored, contractName };
}
