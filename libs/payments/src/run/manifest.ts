/**
 * The run manifest (docs/payment-rules.md, "The run manifest"): derived from the run's data alone, never
 * from the clock, so a replay of the same inputs gives byte-identical JSON.
 */
import { penceToJson, type Pence } from '@dpb/common';
import type { RecoveryDeduction } from '../rules/recovery-offset';

export interface ManifestLineIn {
  dpId: string;
  personId: string;
  payeeId: string;
  kind: 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';
  periodStart: string;
  periodEnd: string;
  grossPence: Pence;
  contributionPence: Pence;
  payablePence: Pence;
  held: boolean;
  holdReasons: string[];
  paymentRef: string | null;
  endToEndId: string | null;
}

export interface ManifestFileIn {
  name: string;
  sha256: string;
  records: number;
  totalPence: Pence;
}

export interface ManifestRecoveryIn {
  dpId: string;
  reason: string;
  periodStart: string;
  periodEnd: string;
  amountPence: Pence;
}

export interface ManifestIn {
  runId: string;
  council: string;
  runDate: string;
  held: boolean;
  files: ManifestFileIn[];
  lines: ManifestLineIn[];
  recoveries: ManifestRecoveryIn[];
  /** Present in the manifest only when the run took something back (earlier manifests keep their bytes). */
  /** What the run took back from a DP's payments for APPROVED cases recovered by offset. */
  deductions?: RecoveryDeduction[];
}

const KIND_ORDER = { REGULAR: 0, ADJUSTMENT: 1, ONE_OFF: 2 } as const;

export function compareManifestLines(a: ManifestLineIn, b: ManifestLineIn): number {
  if (a.dpId !== b.dpId) return a.dpId < b.dpId ? -1 : 1;
  if (a.periodStart !== b.periodStart) return a.periodStart < b.periodStart ? -1 : 1;
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/** Builds the manifest object with keys in the documented order (docs/payment-rules.md). */
export function buildManifest(m: ManifestIn) {
  const lines = [...m.lines].sort(compareManifestLines);
  let payable = 0n;
  let held = 0n;
  for (const l of lines) {
    if (l.held) held += l.payablePence;
    else payable += l.payablePence;
  }
  return {
    runId: m.runId,
    council: m.council,
    runDate: m.runDate,
    held: m.held,
    files: manifestFileEntries(m.files),
    lines: lines.map((l) => ({
      dpId: l.dpId,
      personId: l.personId,
      payeeId: l.payeeId,
      kind: l.kind,
      periodStart: l.periodStart,
      periodEnd: l.periodEnd,
      grossPence: penceToJson(l.grossPence),
      contributionPence: penceToJson(l.contributionPence),
      payablePence: penceToJson(l.payablePence),
      held: l.held,
      holdReasons: l.holdReasons,
      paymentRef: l.paymentRef,
      endToEndId: l.endToEndId,
    })),
    recoveries: [...m.recoveries]
      .sort((a, b) => (a.dpId !== b.dpId ? (a.dpId < b.dpId ? -1 : 1) : a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0))
      .map((r) => ({ dpId: r.dpId, reason: r.reason, periodStart: r.periodStart, periodEnd: r.periodEnd, amountPence: penceToJson(r.amountPence) })),
    ...(m.deductions?.length ? { recoveryDeductions: manifestDeductions(m.deductions) } : {}),
    totals: { lines: lines.length, payablePence: penceToJson(payable), heldPence: penceToJson(held) },
  };
}

/** By DP, then case id (numeric). */
function manifestDeductions(ds: readonly RecoveryDeduction[]) {
  return [...ds]
    .sort((a, b) => (a.dpId !== b.dpId ? (a.dpId < b.dpId ? -1 : 1) : Number(BigInt(a.caseId) - BigInt(b.caseId))))
    .map((d) => ({ caseId: d.caseId, dpId: d.dpId, reason: d.reason, amountPence: penceToJson(d.amountPence), outstandingPence: penceToJson(d.outstandingPence) }));
}

/** The manifest's `files` entries, by name. */
export function manifestFileEntries(files: readonly ManifestFileIn[]) {
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => ({ name: f.name, sha256: f.sha256, records: f.records, totalPence: penceToJson(f.totalPence) }));
}

export type Manifest = ReturnType<typeof buildManifest>;

export function manifestFileName(runId: string): string {
  return `${runId}.manifest.json`;
}

/** What the database keeps next to the manifest's bytes: everything but the lines and recoveries. */
export function manifestHead(m: Manifest): Omit<Manifest, 'lines' | 'recoveries' | 'recoveryDeductions'> {
  return { runId: m.runId, council: m.council, runDate: m.runDate, held: m.held, files: m.files, totals: m.totals };
}

export function serialiseManifest(m: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
}

const NO_FILES_YET = '\n  "files": [],\n';

/**
 * A manifest serialised before its files are known (a large run's lines take about a second, which
 * can pass while the files are still being written). `withFiles` gives the same bytes as
 * serialiseManifest(buildManifest(...)) of the whole.
 */
export function draftManifest(m: Omit<ManifestIn, 'files'>): { withFiles(files: readonly ManifestFileIn[]): { manifest: Manifest; manifestBytes: Buffer } } {
  const draft = buildManifest({ ...m, files: [] });
  const text = `${JSON.stringify(draft, null, 2)}\n`;
  // The keys before `files` are the run id, council, date and held flag: no JSON string there can
  // hold an unescaped quote, so the first match is the files key itself.
  const at = text.indexOf(NO_FILES_YET);
  if (at < 0) throw new Error('manifest draft: files key not where expected');
  return {
    withFiles(files) {
      const manifest = { ...draft, files: manifestFileEntries(files) };
      if (manifest.files.length === 0) return { manifest, manifestBytes: Buffer.from(text, 'utf8') };
      const filesText = JSON.stringify(manifest.files, null, 2).replace(/\n/g, '\n  ');
      const head = `${text.slice(0, at)}\n  "files": ${filesText},\n`;
      const bytes = Buffer.allocUnsafe(Buffer.byteLength(head, 'utf8') + Buffer.byteLength(text, 'utf8') - (at + NO_FILES_YET.length));
      const n = bytes.write(head, 0, 'utf8');
      bytes.write(text.slice(at + NO_FILES_YET.length), n, 'utf8');
      return { manifest, manifestBytes: bytes };
    },
  };
}
