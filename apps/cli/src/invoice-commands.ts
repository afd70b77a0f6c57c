/**
 * Officers' invoice commands (docs/reclaims.md "Officers"):
 *
 *   dpbridge invoices list [--council C] [--kind HEALTH_RECLAIM|RECOVERY|CONTRIBUTION] [--json]
 *   dpbridge invoices show INVOICE [--json]
 *   dpbridge invoices aged [--council C] [--as-of YYYY-MM-DD] [--json]   (aged debt: 0-30, 31-60, 61-90, 90+ days)
 *
 * `list --json` prints {"invoices": [...], "heldFromReclaim": [...]}: every kind unless --kind.
 */
import type { Command } from 'commander';
import { londonToday } from '@dpb/pipeline/clock';
import { agedDebtList, listInvoices, renderAgedDebt, renderInvoice, renderInvoiceList, showInvoice } from '@dpb/reclaims';
import { defaultDeps, run, type OfficerCliDeps } from './officer-commands';

export function registerInvoiceCommands(program: Command, deps: OfficerCliDeps = defaultDeps()): void {
  const print = (lines: string[]) => lines.forEach((l) => deps.print(l));
  const json = (v: unknown) => deps.print(JSON.stringify(v, null, 2));
  const invoices = program.command('invoices').description('invoices to finance (health reclaims, recoveries) and DP-months held from the reclaim');
  invoices
    .command('list')
    .description('list invoices (by council, night, id) and the DP-months held from the reclaim')
    .option('--council <CODE>', 'one council (default: all)')
    .option('--kind <KIND>', 'HEALTH_RECLAIM, RECOVERY or CONTRIBUTION (default: every kind)')
    .option('--json', 'machine-readable output')
    .action((o: { council?: string; kind?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => {
        const l = await listInvoices(ds, { council: o.council, kind: o.kind });
        if (o.json) json(l);
        else print(renderInvoiceList(l));
      }),
    );
  invoices
    .command('show')
    .description('one invoice with its lines')
    .argument('<INVOICE>', 'invoice id (from invoices list)')
    .option('--json', 'machine-readable output')
    .action((id: string, o: { json?: boolean }) =>
      run(deps, async ({ ds }) => {
        const i = await showInvoice(ds, id);
        if (o.json) json(i);
        else print(renderInvoice(i));
      }),
    );
  invoices
    .command('aged')
    .description("outstanding invoices by age (0-30, 31-60, 61-90, 90+ days since raised), from finance's open items")
    .option('--council <CODE>', 'one council (default: all)')
    .option('--as-of <DATE>', 'YYYY-MM-DD (default: today, Europe/London)')
    .option('--json', 'machine-readable output')
    .action((o: { council?: string; asOf?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => {
        const a = await agedDebtList(ds, { council: o.council, asOf: o.asOf ?? londonToday() });
        if (o.json) json(a);
        else print(renderAgedDebt(a));
      }),
    );
}
