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
import { londonToday } from '@dpb/pipeline';
import { agedDebtList, listInvoices, renderAgedDebt, renderInvoice, renderInvoiceList, showInvoice } from '@dpb/reclaims';
import { defaultDeps, run, type OfficerCliDeps } from './officer-commands';
import { cliOutput, JSON_OPTION, ONE_COUNCIL_OPTION } from './output';

export function registerInvoiceCommands(program: Command, deps: OfficerCliDeps = defaultDeps()): void {
  const out = cliOutput(deps);
  const invoices = program.command('invoices').description('invoices to finance (health reclaims, recoveries) and DP-months held from the reclaim');
  invoices
    .command('list')
    .description('list invoices (by council, night, id) and the DP-months held from the reclaim')
    .option(...ONE_COUNCIL_OPTION)
    .option('--kind <KIND>', 'HEALTH_RECLAIM, RECOVERY or CONTRIBUTION (default: every kind)')
    .option(...JSON_OPTION)
    .action((o: { council?: string; kind?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await listInvoices(ds, { council: o.council, kind: o.kind }), renderInvoiceList)),
    );
  invoices
    .command('show')
    .description('one invoice with its lines')
    .argument('<INVOICE>', 'invoice id (from invoices list)')
    .option(...JSON_OPTION)
    .action((id: string, o: { json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await showInvoice(ds, id), renderInvoice)),
    );
  invoices
    .command('aged')
    .description("outstanding invoices by age (0-30, 31-60, 61-90, 90+ days since raised), from finance's open items")
    .option(...ONE_COUNCIL_OPTION)
    .option('--as-of <DATE>', 'YYYY-MM-DD (default: today, Europe/London)')
    .option(...JSON_OPTION)
    .action((o: { council?: string; asOf?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await agedDebtList(ds, { council: o.council, asOf: o.asOf ?? londonToday() }), renderAgedDebt)),
    );
}
