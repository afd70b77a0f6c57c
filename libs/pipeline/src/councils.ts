import { z } from 'zod';
import { ConfigError, configDir, describeIssues, readCouncilFiles, type Env } from '@dpb/platform';

export interface CouncilEndpoints {
  careInbox: string;
  bankInbox: string;
  cardInbox: string;
  financeOutbox: string;
  cardOutbox: string;
}

export interface CouncilConfig {
  code: string;
  name: string;
  endpoints: CouncilEndpoints;
  /** Validated per-council payment, audit and finance settings (payment-rules.md "Settings"). */
  settings: Record<string, unknown>;
}

const EndpointOverrides = z
  .object({
    careInbox: z.string().optional(),
    bankInbox: z.string().optional(),
    cardInbox: z.string().optional(),
    financeOutbox: z.string().optional(),
    cardOutbox: z.string().optional(),
  })
  .strict()
  .default({});

const CouncilFile = z
  .object({
    name: z.string().min(1).optional(),
    endpoints: EndpointOverrides,
  })
  .passthrough();

/** Settings validators registered by capabilities (payments registers its schema). */
type SettingsValidator = (raw: Record<string, unknown>) => { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };
let settingsValidator: SettingsValidator = (raw) => ({ ok: true, value: raw });
export function registerCouncilSettingsValidator(v: SettingsValidator): void {
  settingsValidator = v;
}

/**
 * Loads `config/councils/<CODE>.yaml` (or under DPB_CONFIG_DIR). Each file may override the
 * DPB_* endpoints, for a shared service running several councils. Every problem in every file
 * is reported at once.
 */
export function loadCouncils(env: Env): Map<string, CouncilConfig> {
  const raw = readCouncilFiles(configDir(env));
  const problems: string[] = [];
  const out = new Map<string, CouncilConfig>();
  for (const [code, doc] of raw) {
    const parsed = CouncilFile.safeParse(doc);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, `councils/${code}.yaml`));
      continue;
    }
    const { name, endpoints, ...rest } = parsed.data;
    const settings = settingsValidator(rest as Record<string, unknown>);
    if (!settings.ok) {
      problems.push(...settings.problems.map((p) => `councils/${code}.yaml: ${p}`));
      continue;
    }
    out.set(code, {
      code,
      name: name ?? code,
      endpoints: {
        careInbox: endpoints.careInbox ?? env.DPB_CARE_INBOX,
        bankInbox: endpoints.bankInbox ?? env.DPB_BANK_INBOX,
        cardInbox: endpoints.cardInbox ?? env.DPB_CARD_INBOX,
        financeOutbox: endpoints.financeOutbox ?? env.DPB_FINANCE_OUTBOX,
        cardOutbox: endpoints.cardOutbox ?? env.DPB_CARD_OUTBOX,
      },
      settings: settings.value,
    });
  }
  if (problems.length) throw new ConfigError(problems);
  if (out.size === 0) throw new ConfigError([`${configDir(env)}/councils: no council settings file (<CODE>.yaml)`]);
  return out;
}
