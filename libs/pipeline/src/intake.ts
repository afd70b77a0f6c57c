import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { FileLedger, InputRejected, type FileIdentity, type InboundApplier } from '@dpb/persistence';
import type { Endpoint } from '@dpb/transport';

export interface IntakeSummary {
  applied: number;
  duplicates: number;
  quarantined: number;
  incomplete: number;
  records: number;
  warnings: string[];
  files: { name: string; sha256: string; outcome: 'APPLIED' | 'DUPLICATE' | 'QUARANTINED' | 'INCOMPLETE'; format?: string; records?: number }[];
}

/**
 * Takes every complete file from an inbox exactly once: SHA-256 ledger in Postgres (not BullMQ
 * job ids), data and ledger row in one transaction, then archive (applied or duplicate) or
 * quarantine with an `.error.json` (bad input). Infrastructure errors propagate so the job retries;
 * bad input never fails the night.
 */
export async function intakeInbox(args: {
  ds: DataSource;
  endpoint: Endpoint;
  applier: InboundApplier;
  council: string;
  nightDate: string;
  log: Logger;
}): Promise<IntakeSummary> {
  const { ds, endpoint: ep, applier, council, nightDate, log } = args;
  const ledger = new FileLedger();
  const summary: IntakeSummary = { applied: 0, duplicates: 0, quarantined: 0, incomplete: 0, records: 0, warnings: [], files: [] };
  const candidates = await ep.listCandidates();
  for (const c of candidates) {
    const flog = log.child({ source: applier.source, file: c.name });
    if (c.tooLarge) {
      await ep.quarantine(c.name, { file: c.name, source: applier.source, problems: [{ rule: 'MAX_FILE_BYTES' }] });
      summary.quarantined++;
      summary.files.push({ name: c.name, sha256: '', outcome: 'QUARANTINED' });
      summary.warnings.push(`${applier.source}: ${c.name} quarantined: larger than the configured maximum`);
      flog.warn({ size: c.size }, 'file too large: quarantined unread');
      continue;
    }
    if (!(await ep.isComplete(c.name))) {
      summary.incomplete++;
      summary.files.push({ name: c.name, sha256: '', outcome: 'INCOMPLETE' });
      summary.warnings.push(`${applier.source}: ${c.name} still being written; left for the next poll`);
      flog.info({ size: c.size }, 'file not complete yet');
      continue;
    }
    const sha256 = await ep.sha256(c.name);
    const identity: FileIdentity = { source: applier.source, council, name: c.name, size: c.size, sha256 };
    const known = await ledger.find(ds.manager, applier.source, sha256);
    if (known?.state === 'APPLIED') {
      await ep.archive(c.name, nightDate);
      summary.duplicates++;
      summary.files.push({ name: c.name, sha256, outcome: 'DUPLICATE', format: known.format ?? undefined });
      flog.info({ sha256, ledgerId: known.id }, 'same bytes already applied: archived without effect');
      continue;
    }
    if (known?.state === 'QUARANTINED') {
      await ep.quarantine(c.name, {
        file: c.name, sha256, source: applier.source,
        problems: [{ rule: 'PREVIOUSLY_QUARANTINED' }],
        hint: `these bytes were quarantined before (ledger ${known.id}); fix the sender's file or run: dpbridge retry ${c.name}`,
      });
      summary.quarantined++;
      summary.files.push({ name: c.name, sha256, outcome: 'QUARANTINED' });
      summary.warnings.push(`${applier.source}: ${c.name} quarantined again (same bytes as an earlier rejected file)`);
      continue;
    }
    try {
      const result = await ds.transaction(async (m) => {
        const ledgerId = await ledger.claimForApply(m, identity, 'pending');
        if (ledgerId === null) return null;
        const r = await applier.apply(m, {
          name: c.name, sha256, size: c.size, ledgerId, council, open: () => ep.openReadStream(c.name),
        });
        await m.query(`UPDATE inbound_file SET format = $2, records = $3, updated_at = now() WHERE id = $1`, [
          ledgerId, r.format, r.records,
        ]);
        return r;
      });
      if (result === null) {
        // Another worker holds or has just committed these bytes. Only bytes the ledger shows as
        // applied are a duplicate: bytes still being applied elsewhere (whose transaction may yet
        // roll back) are not "nothing to do", so this stage fails and is retried.
        if ((await ledger.find(ds.manager, applier.source, sha256))?.state !== 'APPLIED') {
          throw new Error(`${applier.source} file ${sha256.slice(0, 12)} is being applied by another worker: retry`);
        }
        summary.duplicates++;
        summary.files.push({ name: c.name, sha256, outcome: 'DUPLICATE' });
        flog.info({ sha256 }, 'same bytes are being applied elsewhere: skipped');
        continue;
      }
      await ep.archive(c.name, nightDate);
      summary.applied++;
      summary.records += result.records;
      summary.warnings.push(...(result.warnings ?? []).map((w) => `${applier.source}: ${c.name}: ${w}`));
      summary.files.push({ name: c.name, sha256, outcome: 'APPLIED', format: result.format, records: result.records });
      flog.info({ sha256, format: result.format, records: result.records, counts: result.counts }, 'file applied');
    } catch (e) {
      if (!(e instanceof InputRejected)) throw e;
      const report = { file: c.name, sha256, source: applier.source, format: e.format, problems: e.problems };
      await ds.transaction((m) => ledger.recordQuarantine(m, identity, e.format, report));
      await ep.quarantine(c.name, report);
      summary.quarantined++;
      summary.files.push({ name: c.name, sha256, outcome: 'QUARANTINED', format: e.format ?? undefined });
      summary.warnings.push(`${applier.source}: ${c.name} quarantined: ${e.problems.length} problem(s)`);
      flog.warn({ sha256, format: e.format, problems: e.problems.length, firstRule: e.problems[0]?.rule }, 'file quarantined');
    }
  }
  return summary;
}
