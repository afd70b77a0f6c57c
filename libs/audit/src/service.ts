/**
 * Running audits: load a chunk of DPs, apply the rules, store one row per DP and window, and
 * hand the stored audits to the findings hook (cases) in the same transaction. A dry run
 * computes everything and writes nothing. Logs and results carry ids, counts and totals only.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { penceToJson, type CivilDate, type Pence } from '@dpb/common';
import type { CouncilSettings } from '@dpb/payments/rules/settings';
import { auditAccount, auditWindow, type AuditFigures, type AuditThresholds } from './rules';
import { insertAudits, latestAudit, listDpIds, listDpIdsToAudit, loadAccounts, type AccountKind, type LoadedAccount, type StoredAudit } from './audit.repository';

export function thresholdsOf(s: CouncilSettings): AuditThresholds {
  return {
    surplusWeeks: s.surplusWeeks,
    surplusFloorPence: s.surplusFloorPence,
    contributionTolerancePence: s.audit.contributionTolerancePence,
    contributionEscalateAfter: s.audit.contributionEscalateAfter,
    flagMcc: s.audit.flagMcc,
    cashMcc: s.audit.cashMcc,
    cashAllowed: s.audit.cashAllowed,
    allowPayees: s.audit.allowPayees,
  };
}

export interface ComputedAudit {
  figures: AuditFigures;
  accountKind: AccountKind;
  dpVersion: number;
  payeeVersion: number;
  /** The loaded ledger (for the findings' evidence); not stored with the audit. */
  account: LoadedAccount;
}

/** Why a DP was not audited. */
export type SkipReason = 'EMPTY_WINDOW' | 'NO_LEDGER';

/** Applies the rules to loaded accounts as of `asOf` (the night's date). */
export function computeAudits(accounts: readonly LoadedAccount[], settings: CouncilSettings, asOf: CivilDate): { audits: ComputedAudit[]; skipped: Record<SkipReason, number> } {
  const t = thresholdsOf(settings);
  const skipped: Record<SkipReason, number> = { EMPTY_WINDOW: 0, NO_LEDGER: 0 };
  const audits: ComputedAudit[] = [];
  for (const a of accounts) {
    const window = auditWindow(a.lastAudit?.windowTo ?? null, a.dp.start, settings.goLiveDate, asOf);
    if (!window) {
      skipped.EMPTY_WINDOW += 1;
      continue;
    }
    if (!a.hasLedger) {
      skipped.NO_LEDGER += 1;
      continue;
    }
    const figures = auditAccount({
      dp: a.dp,
      window,
      contributionsFrom: a.lastAudit?.contributionsFrom ?? window.from,
      items: a.items,
      statementBalancePence: a.statementBalancePence,
      lines: a.lines,
      liabilitiesPence: a.liabilitiesPence,
      previousMissedStreak: a.lastAudit?.missedStreak ?? 0,
      settings: t,
    });
    audits.push({ figures, accountKind: a.accountKind, dpVersion: a.dpVersion, payeeVersion: a.payeeVersion, account: a });
  }
  return { audits, skipped };
}

/** A stored audit with what the findings need. */
export interface StoredForFindings {
  auditId: string;
  council: string;
  audit: ComputedAudit;
}

/** Called inside the storing transaction with the audits just written (e.g. to open cases). */
export type FindingsHook = (m: EntityManager, council: string, settings: CouncilSettings, stored: readonly StoredForFindings[]) => Promise<void>;

export interface ChunkResult {
  considered: number;
  audited: number;
  stored: number;
  skipped: Record<SkipReason, number>;
  totals: { surplusPence: Pence; councilExcessPence: Pence; contributionRefundPence: Pence; missedContributionsPence: Pence };
  flags: { MCC: number; CASH: number; SAFEGUARDING: number };
  reviewsOverdue: number;
  audits: { dpId: string; auditId: string | null; figures: AuditFigures }[];
}

export interface AuditChunkOptions {
  council: string;
  settings: CouncilSettings;
  /** The night's date: the windows' `to`. */
  asOf: CivilDate;
  dpIds: readonly string[];
  dryRun?: boolean;
  findings?: FindingsHook;
}

function summarise(considered: number, computed: { audits: ComputedAudit[]; skipped: Record<SkipReason, number> }, ids: Map<string, string>): ChunkResult {
  const r: ChunkResult = {
    considered,
    audited: computed.audits.length,
    stored: ids.size,
    skipped: computed.skipped,
    totals: { surplusPence: 0n, councilExcessPence: 0n, contributionRefundPence: 0n, missedContributionsPence: 0n },
    flags: { MCC: 0, CASH: 0, SAFEGUARDING: 0 },
    reviewsOverdue: 0,
    audits: [],
  };
  for (const { figures: f } of computed.audits) {
    r.totals.surplusPence += f.surplusPence;
    r.totals.councilExcessPence += f.councilExcessPence;
    r.totals.contributionRefundPence += f.contributionRefundPence;
    r.totals.missedContributionsPence += f.missedContributionsPence;
    for (const flag of f.flags) r.flags[flag.kind] += 1;
    if (f.review.overdue) r.reviewsOverdue += 1;
    r.audits.push({ dpId: f.dpId, auditId: ids.get(f.dpId) ?? null, figures: f });
  }
  return r;
}

/** Audits one chunk of DPs in one transaction (or computes them only, for a dry run). */
export async function auditChunk(ds: DataSource, o: AuditChunkOptions): Promise<ChunkResult> {
  if (o.dryRun) {
    const accounts = await loadAccounts(ds.manager, o.council, o.dpIds, o.asOf);
    return summarise(o.dpIds.length, computeAudits(accounts, o.settings, o.asOf), new Map());
  }
  return ds.transaction(async (m) => {
    const accounts = await loadAccounts(m, o.council, o.dpIds, o.asOf);
    const computed = computeAudits(accounts, o.settings, o.asOf);
    const written = await insertAudits(
      m,
      computed.audits.map((a) => ({ council: o.council, nightDate: o.asOf, accountKind: a.accountKind, dpVersion: a.dpVersion, payeeVersion: a.payeeVersion, figures: a.figures })),
    );
    const ids = new Map(written.map((w) => [w.dpId, w.auditId]));
    if (o.findings && written.length) {
      const stored = computed.audits.filter((a) => ids.has(a.figures.dpId)).map((a) => ({ auditId: ids.get(a.figures.dpId) as string, council: o.council, audit: a }));
      await o.findings(m, o.council, o.settings, stored);
    }
    return summarise(o.dpIds.length, computed, ids);
  });
}

/** Splits ids into chunks of `size` (the night's child jobs). */
export function chunk<T>(ids: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/** The DP ids the night audits for a council (changed since their last audit), in chunks of the council's `audit.chunkSize`. */
export async function planAuditChunks(ds: DataSource, council: string, settings: CouncilSettings, nightDate: CivilDate): Promise<string[][]> {
  return chunk(await listDpIdsToAudit(ds.manager, council, nightDate), settings.audit.chunkSize);
}

export function emptyResult(): ChunkResult {
  return summarise(0, { audits: [], skipped: { EMPTY_WINDOW: 0, NO_LEDGER: 0 } }, new Map());
}

/** Adds chunk results (the council's total over its chunks). */
export function mergeResults(a: ChunkResult, b: ChunkResult): ChunkResult {
  return {
    considered: a.considered + b.considered,
    audited: a.audited + b.audited,
    stored: a.stored + b.stored,
    skipped: { EMPTY_WINDOW: a.skipped.EMPTY_WINDOW + b.skipped.EMPTY_WINDOW, NO_LEDGER: a.skipped.NO_LEDGER + b.skipped.NO_LEDGER },
    totals: {
      surplusPence: a.totals.surplusPence + b.totals.surplusPence,
      councilExcessPence: a.totals.councilExcessPence + b.totals.councilExcessPence,
      contributionRefundPence: a.totals.contributionRefundPence + b.totals.contributionRefundPence,
      missedContributionsPence: a.totals.missedContributionsPence + b.totals.missedContributionsPence,
    },
    flags: { MCC: a.flags.MCC + b.flags.MCC, CASH: a.flags.CASH + b.flags.CASH, SAFEGUARDING: a.flags.SAFEGUARDING + b.flags.SAFEGUARDING },
    reviewsOverdue: a.reviewsOverdue + b.reviewsOverdue,
    audits: [...a.audits, ...b.audits],
  };
}

export interface AuditCouncilOptions {
  council: string;
  settings: CouncilSettings;
  asOf: CivilDate;
  /** One DP only (audited whether or not it changed). */
  dpId?: string;
  dryRun?: boolean;
  /** Every DP, not only those changed since their last audit (the CLI's default). */
  all?: boolean;
  findings?: FindingsHook;
  /** Runs the chunks (default: one after another in this process); the night passes a runner that uses worker jobs. */
  runChunks?: (chunks: string[][]) => Promise<ChunkResult[]>;
}

/** Audits a council (or one DP) as of a date, chunk by chunk. */
export async function auditCouncil(ds: DataSource, o: AuditCouncilOptions): Promise<ChunkResult> {
  const ids = o.dpId || o.all ? await listDpIds(ds.manager, o.council, o.asOf, o.dpId) : await listDpIdsToAudit(ds.manager, o.council, o.asOf);
  const chunks = chunk(ids, o.settings.audit.chunkSize);
  const run =
    o.runChunks ??
    (async (cs: string[][]) => {
      const out: ChunkResult[] = [];
      for (const dpIds of cs) out.push(await auditChunk(ds, { council: o.council, settings: o.settings, asOf: o.asOf, dpIds, dryRun: o.dryRun, findings: o.findings }));
      return out;
    });
  return (await run(chunks)).reduce(mergeResults, emptyResult());
}

/**
 * `audit show`: the DP's latest stored audit, or (with `asOf`) one computed as of that date
 * without storing it (its window starts after the last audit that ended before `asOf`).
 */
export async function showAudit(ds: DataSource, council: string, settings: CouncilSettings, dpId: string, asOf?: CivilDate): Promise<{ stored: boolean; auditId: string | null; figures: AuditFigures } | null> {
  if (!asOf) {
    const s: StoredAudit | null = await latestAudit(ds.manager, council, dpId);
    return s ? { stored: true, auditId: s.id, figures: s.figures } : null;
  }
  const accounts = await loadAccounts(ds.manager, council, [dpId], asOf);
  const { audits } = computeAudits(accounts, settings, asOf);
  return audits[0] ? { stored: false, auditId: null, figures: audits[0].figures } : null;
}

/** The JSON `dpbridge audit show --json` prints (amounts integer pence). */
export function auditJson(council: string, f: AuditFigures, extra: { auditId?: string | null; stored?: boolean } = {}): Record<string, unknown> {
  const n = (p: Pence) => penceToJson(p);
  return {
    council,
    dpId: f.dpId,
    window: { from: f.window.from, to: f.window.to },
    balancePence: n(f.balancePence),
    expectedContributionsPence: n(f.expectedContributionsPence),
    receivedContributionsPence: n(f.receivedContributionsPence),
    liabilitiesPence: n(f.liabilitiesPence),
    contingencyPence: n(f.contingencyPence),
    surplusPence: n(f.surplusPence),
    contributionRefundPence: n(f.contributionRefundPence),
    councilExcessPence: n(f.councilExcessPence),
    missedContributionsPence: n(f.missedContributionsPence),
    flags: f.flags.map((x) => ({ txnId: x.txnId, kind: x.kind, ...(x.mcc ? { mcc: x.mcc } : {}), amountPence: n(x.amountPence) })),
    review: { due: f.review.due, overdue: f.review.overdue },
    missedEscalated: f.missedEscalated,
    contributionsFrom: f.contributionsFrom,
    ...(extra.auditId !== undefined ? { auditId: extra.auditId } : {}),
    ...(extra.stored !== undefined ? { stored: extra.stored } : {}),
  };
}
