import { ConfigError, configDir, describeIssues, readCouncilFiles, type Env } from '@dpb/platform';
import { councilSettingsSchema, type CouncilSettings } from '@dpb/payments';

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
  /** Validated payment, audit and finance settings with defaults (docs/configuration.md, council settings). */
  settings: CouncilSettings;
}

const ENDPOINT_KEYS: (keyof CouncilEndpoints)[] = ['careInbox', 'bankInbox', 'cardInbox', 'financeOutbox', 'cardOutbox'];

/**
 * Loads `config/councils/<CODE>.yaml` (or under DPB_CONFIG_DIR). Each file may override the
 * DPB_* endpoints, for a shared service running several councils. Every problem in every file is
 * reported at once.
 */
export function loadCouncils(env: Env): Map<string, CouncilConfig> {
  const raw = readCouncilFiles(configDir(env));
  const problems: string[] = [];
  const out = new Map<string, CouncilConfig>();
  for (const [code, doc] of raw) {
    const file = `councils/${code}.yaml`;
    const parsed = councilSettingsSchema.safeParse({ council: code, ...(doc as Record<string, unknown>) });
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, file));
      continue;
    }
    const settings = parsed.data;
    if (settings.council !== code) problems.push(`${file}: council: must equal the file name (${code})`);
    for (const k of Object.keys(settings.endpoints)) {
      if (!ENDPOINT_KEYS.includes(k as keyof CouncilEndpoints)) problems.push(`${file}: endpoints.${k}: unknown endpoint (expected one of ${ENDPOINT_KEYS.join(', ')})`);
    }
    const defaults: CouncilEndpoints = {
      careInbox: env.DPB_CARE_INBOX,
      bankInbox: env.DPB_BANK_INBOX,
      cardInbox: env.DPB_CARD_INBOX,
      financeOutbox: env.DPB_FINANCE_OUTBOX,
      cardOutbox: env.DPB_CARD_OUTBOX,
    };
    const endpoints = { ...defaults, ...(settings.endpoints as Partial<CouncilEndpoints>) };
    out.set(code, { code, name: settings.name ?? code, endpoints, settings });
  }
  if (problems.length) throw new ConfigError(problems);
  if (out.size === 0) throw new ConfigError([`${configDir(env)}/councils: no council settings file (<CODE>.yaml)`]);
  return out;
}
