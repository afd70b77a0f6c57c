import type { FleetStatus } from '@dpb/pipeline';

/** Human-readable `dpbridge status`. */
export function printStatus(s: FleetStatus, print: (line: string) => void): void {
  print('Queues');
  for (const q of s.queues) {
    const c = q.counts;
    print(`  ${q.name.padEnd(18)} active ${c.active ?? 0}  waiting ${(c.waiting ?? 0) + (c['waiting-children'] ?? 0)}  delayed ${c.delayed ?? 0}  failed ${c.failed ?? 0}  completed ${c.completed ?? 0}`);
  }
  print('Last nights');
  if (!s.nights.length) print('  (none yet)');
  for (const n of s.nights) {
    print(`  ${n.council} ${n.nightDate}  ${n.state}`);
    for (const st of n.stages) {
      print(`    ${st.stage.padEnd(12)} ${st.state.padEnd(8)} ${st.outcome ?? ''}${st.error ? `  error: ${st.error}` : ''}${st.warnings.length ? `  (${st.warnings.length} warning(s))` : ''}`);
    }
  }
  print('Quarantined files');
  if (!s.quarantined.length) print('  (none)');
  for (const q of s.quarantined) print(`  ${q.source.padEnd(5)} ${q.name}  since ${q.updatedAt}`);
}
