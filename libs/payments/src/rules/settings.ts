/**
 * Per-council settings (docs/configuration.md, council settings): the type and its zod schema with
 * their defaults. The config loader reads `config/councils/<CODE>.yaml` and calls
 * `parseCouncilSettings`. Errors name keys, never values.
 */
import { isCivilDate, isMonday, parsePercentToBasisPoints } from '@dpb/common';
import { z } from 'zod';
import { PAYMENT_FORMATS, POSTING_FORMATS } from '../files/model';
import { RECOVERY_REASONS } from './adjustments';

const civilDate = z.string().refine(isCivilDate, 'must be a YYYY-MM-DD date');
const monday = civilDate.refine((d) => isMonday(d), 'must be a Monday');
const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);
/** Pence in YAML: a non-negative integer (number or digit string), kept as bigint. */
const pence = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be whole pence')])
  .transform((v) => BigInt(v));
/** A percentage with at most 2 decimals, kept as basis points ("50.00" -> 5000n). */
const percentBp = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parsePercentToBasisPoints(typeof v === 'number' ? String(v) : v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a percentage 0-100 with at most 2 decimals' });
    return z.NEVER;
  }
});
const pct = z.number().int().min(0).max(1000);

const fundingAccount = z.strictObject({
  vendorNo: z.string().min(1),
  sortCode: digits(6),
  accountNumber: digits(8),
  accountName: z.string().min(1).max(18),
});

export const financeSettingsSchema = z
  .strictObject({
    postingFormat: z.enum(POSTING_FORMATS),
    /** NONE: SAP pays. Exactly one payment format, never both. */
    paymentFormat: z.enum(PAYMENT_FORMATS).default('NONE'),
    sapCompanyCode: z.string().min(1),
    sapDocTypePayment: z.string().min(1).default('KR'),
    sapDocTypeInvoice: z.string().min(1).default('DR'),
    currency: z.literal('GBP').default('GBP'),
    bacsServiceUserNumber: z
      .string()
      .regex(/^[A-Z0-9]{6}$/, 'must be 6 characters')
      .optional(),
    originatorName: z.string().max(18).optional(),
    originatingSortCode: digits(6).optional(),
    originatingAccountNumber: digits(8).optional(),
    originatingAccountName: z.string().max(18).optional(),
    debtorName: z.string().max(70).optional(),
    /** Card providers' funding accounts, keyed by provider (e.g. ALLPAY). */
    cardProviders: z.record(z.string(), fundingAccount).default({}),
  })
  .superRefine((f, ctx) => {
    const need = (key: keyof typeof f) => {
      if (f[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `required for ${f.paymentFormat}` });
    };
    if (f.paymentFormat === 'BACS_STD18') {
      (
        [
          'bacsServiceUserNumber',
          'originatorName',
          'originatingSortCode',
          'originatingAccountNumber',
          'originatingAccountName',
        ] as const
      ).forEach(need);
    }
    if (f.paymentFormat === 'PAIN001') {
      (['debtorName', 'originatingSortCode', 'originatingAccountNumber'] as const).forEach(need);
    }
  });

const CARD_COLUMN_NAMES = [
  'txn_id', 'account_ref', 'posted_at', 'type', 'status', 'amount_minor', 'currency', 'mcc', 'merchant', 'reference',
  'balance_minor',
] as const;
/** A provider header name -> canonical card column (docs/formats/statements.md, card CSV profile). */
const cardFileSettings = z.strictObject({ mapping: z.record(z.string().min(1), z.enum(CARD_COLUMN_NAMES)).optional() });
const expectedFile = z.strictObject({
  cutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (Europe/London)'),
});

const mccCode = z.string().regex(/^\d{4}$/, 'must be a 4-digit MCC');
/** DP account audit thresholds and spend-flag lists (docs/audit.md). */
export const auditSettingsSchema = z.strictObject({
  /** A shortfall of contributions above this opens a MISSED_CONTRIBUTIONS case. */
  contributionTolerancePence: pence.default(100n),
  /** That many audits in a row with a shortfall above the tolerance escalate the case. */
  contributionEscalateAfter: z.number().int().min(1).max(24).default(2),
  /** Card items at these MCCs are review items (declined ones: safeguarding items). */
  flagMcc: z.array(mccCode).default(['7995', '7800', '7801', '7802', '9406', '5813', '5921', '5993', '5933', '7273', '7297', '4829', '5542']),
  /** Cash MCCs (items of type ATM are cash too). */
  cashMcc: z.array(mccCode).default(['6010', '6011', '6051']),
  /** Council default for cash; a DP's own cashAllowed (care record) also allows it. */
  cashAllowed: z.boolean().default(false),
  /** Payees (merchant names, whole words, case-insensitive) never flagged: HMRC, payroll bureaux, pension providers, insurers, card fees. */
  allowPayees: z.array(z.string().min(2)).default([]),
  /**
   * Taking a SURPLUS back from a card after notice (card unload instructions) is not built: only
   * `false` is accepted, so a council that turns it on learns at once rather than believing it works.
   * A SURPLUS is recovered by invoice or by offset (recoveryMethod).
   */
  cardRecoupment: z
    .boolean()
    .default(false)
    .refine((on) => !on, { message: 'recouping a SURPLUS from a card is not built yet: leave it false and recover by invoice or offset (recoveryMethod)' }),
  /** DPs audited per worker job in the night. */
  chunkSize: z.number().int().min(1).max(100_000).default(2000),
});
export type AuditSettings = z.output<typeof auditSettingsSchema>;

export const councilSettingsSchema = z.strictObject({
  council: z.string().regex(/^[A-Z0-9]{2,12}$/, 'must be 2-12 characters A-Z 0-9'),
  /** Display name for reports. */
  name: z.string().min(1).optional(),
  anchorDate: monday.default('2026-04-06'),
  leadBacsDays: z.number().int().min(1).max(10).default(3),
  goLiveDate: monday,
  offsetOverpayments: z.boolean().default(true),
  holdFirstPayment: z.boolean().default(true),
  holdBankChange: z.boolean().default(true),
  holdChangePct: pct.default(25),
  holdRunPct: pct.default(20),
  /** Optional holds, off by default. */
  holdEveryOneOff: z.boolean().default(false),
  holdEndingInPeriod: z.boolean().default(false),
  holdFirstAfterRateChange: z.boolean().default(false),
  releaseMode: z.enum(['auto', 'authorise']).default('auto'),
  surplusWeeks: z.number().int().min(0).max(52).default(8),
  surplusFloorPence: pence.default(0n),
  /** DP account audit (docs/audit.md); every key has a default. */
  audit: auditSettingsSchema.prefault({}),
  /** Health share used when a JOINT/S117 DP has no split; none by default. */
  defaultHealthPct: percentBp.optional(),
  /** The partner charged the default share; without it, days with no split are held (NO_SPLIT). */
  defaultHealthPartner: z.string().min(1).optional(),
  /** Invoices to finance (AR): income GL and cost centre of the customer lines, partner -> SAP customer number. */
  receivables: z
    .strictObject({
      incomeGlAccount: z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1-10 characters A-Z 0-9'),
      costCentre: z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1-10 characters A-Z 0-9'),
      /** Health partner code (e.g. ICB-QRL) -> SAP customer number; the code itself when absent. */
      customers: z.record(z.string().min(1), z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1-10 characters A-Z 0-9')).default({}),
      /** Finance's AR open-items extract: its inbox (an endpoint URL) and its CSV headers -> canonical columns. */
      openItems: z
        .strictObject({
          inbox: z.string().min(1),
          columns: z.record(z.string().min(1), z.enum(['invoice_id', 'open_amount', 'as_of'])).optional(),
        })
        .optional(),
    })
    .optional(),
  /**
   * How an APPROVED recovery case is recovered (docs/reclaims.md): `invoice` (a RECOVERY invoice to
   * the person) or `offset` (taken from the DP's later payments); per reason code where set.
   */
  recoveryMethod: z.enum(['invoice', 'offset']).default('invoice'),
  recoveryMethodByReason: z
    .partialRecord(z.enum(RECOVERY_REASONS), z.enum(['invoice', 'offset']))
    .default({}),
  finance: financeSettingsSchema,
  /** Overrides of the DPB_* endpoint defaults (SFTP hosts, folders, URLs), by name. */
  endpoints: z
    .record(
      z.string(),
      // Settings files are committed: a password belongs in the environment (DPB_SFTP_PRIVATE_KEY_FILE).
      z.string().refine((v) => !/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(v), 'must not carry a password (use DPB_SFTP_PRIVATE_KEY_FILE)'),
    )
    .default({}),
  /** Card providers' own CSV headers mapped onto the canonical columns, keyed by provider (e.g. ALLPAY). */
  cardFiles: z.record(z.string().regex(/^[A-Z0-9-]{1,20}$/, 'must be an upper-case provider code'), cardFileSettings).optional(),
  /**
   * Bank files' control totals (BAI2 49/98/99 trailers, camt TxsSummry): `enforce` quarantines a
   * file whose totals disagree with its content; `warn` applies it with parser warnings, for a bank
   * known to send inconsistent trailers (some BAI2 exports do). Balances are checked either way.
   */
  bankControlTotals: z.enum(['enforce', 'warn']).default('enforce'),
  /** Inboxes that must deliver at least one file per night, by a Europe/London cut-off; none by default. */
  expectedFiles: z
    .strictObject({ bank: expectedFile.optional(), card: expectedFile.optional(), care: expectedFile.optional() })
    .optional(),
  /** Payment confirmation (docs/reconciliation.md). */
  reconciliation: z
    .strictObject({
      /** Bacs days after the entry day in which a card load must post on the card. */
      loadMatchDays: z.number().int().min(0).max(30).default(5),
      /** Bacs days after the entry day by which the run's debit must show on the bank statement. */
      bacsMatchDays: z.number().int().min(0).max(10).default(2),
      /** Statement accounts the payment files debit (default: those holding the originating account number). */
      paymentAccounts: z.array(z.string().min(1)).default([]),
    })
    .default({ loadMatchDays: 5, bacsMatchDays: 2, paymentAccounts: [] }),
});

export type CouncilSettings = z.output<typeof councilSettingsSchema>;
export type CouncilSettingsInput = z.input<typeof councilSettingsSchema>;

/** The subset the payment rules use. */
export type PaymentRuleSettings = Pick<
  CouncilSettings,
  | 'anchorDate'
  | 'leadBacsDays'
  | 'goLiveDate'
  | 'offsetOverpayments'
  | 'holdFirstPayment'
  | 'holdBankChange'
  | 'holdChangePct'
  | 'holdRunPct'
  | 'holdEveryOneOff'
  | 'holdEndingInPeriod'
  | 'holdFirstAfterRateChange'
>;

/**
 * Validates raw settings (e.g. parsed YAML) and applies defaults. Throws a RangeError listing
 * each bad key path and the rule broken (values are not echoed).
 */
export function parseCouncilSettings(raw: unknown, source = 'settings'): CouncilSettings {
  const r = councilSettingsSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new RangeError(`${source} invalid:\n  ${lines.join('\n  ')}`);
}
