/**
 * Applies one AR open-items extract (ledger source 'ar'): read whole, checked, and every invoice's
 * settlement updated in the intake's transaction, or nothing (the file is quarantined with the
 * record and column of each problem).
 */
import type { EntityManager } from 'typeorm';
import { InputRejected, readAll, type ApplyInput, type ApplyResult, type InboundApplier } from '@dpb/persistence';
import { applySettlements, loadBalances } from './invoice.repository';
import { type OpenItemColumn, readOpenItems } from './files/open-items';
import { settle } from './rules/debt';

export function createOpenItemsApplier(mapping: Readonly<Record<string, OpenItemColumn>> = {}): InboundApplier {
  return {
    source: 'ar',
    async apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
      const read = readOpenItems(await readAll(await input.open()), mapping);
      if (!read.ok) throw new InputRejected('ar-open-items-csv', read.problems.map((p) => ({ recordType: 'OpenItem', line: p.record, field: p.field, rule: p.rule })));
      const prefix = `${input.council}-`;
      const r = settle(await loadBalances(m, input.council), read.items, (id) => id.startsWith(prefix));
      if (!r.ok) throw new InputRejected('ar-open-items-csv', r.problems.map((p) => ({ recordType: 'OpenItem', line: p.record, field: p.field, rule: p.rule })));
      if (r.asOf) await applySettlements(m, input.council, r.changes, r.asOf, input.ledgerId);
      return {
        format: 'ar-open-items-csv',
        records: read.items.length,
        counts: { settled: r.changes.length, ignored: r.ignored },
        warnings: r.asOf ? [] : ['open-items extract without rows: nothing to settle'],
      };
    },
  };
}
