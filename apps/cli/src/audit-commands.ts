/**
 * DP account audit and liabilities (docs/audit.md, docs/officers.md "Audits and liabilities"):
 *
 *   dpbridge audit run --council C [--dp DP] [--as-of D] [--all] [--dry-run] [--json]
 *   dpbridge audit show --council C --dp DP [--as-of D] [--json]
 *   dpbridge audit pack --dp DP --from D --to D --out DIR [--council C]
 *   dpbridge liabilities add --council C --dp DP --kind K --amount POUNDS [--owed-on D] --officer NAME
 *   dpbridge liabilities list [--council C] [--dp DP] [--all] [--json]
 *   dpbridge liabilities remove ID --officer NAME
 *
 * `audit run` stores one audit per DP and opens or updates cases, like the night; with
 * `--dry-run` it prints the figures and writes nothing. A refusal ends with a non-zero exit.
 */
import type { Command } from 'commander';
import { isCivilDate, parsePounds, penceToJson, type CivilDate } from '@dpb/common';
import { OfficerRefusal } from '@dpb/payments';
import { londonToday, type CouncilConfig } from '@dpb/pipeline';
import {
  addLiability,
  auditCouncil,
  auditJson,
  listLiabilities,
  loadPack,
  openAuditCases,
  packCouncil,
  removeLiability,
  showAudit,
  writePack,
  type ChunkResult,
  type Liability,
} from '@dpb/audit';
import { defaultDeps, run, type OfficerCliDeps } from './officer-commands';
import { cliOutput, JSON_OPTION } from './output';

function date(text: string | undefined, option: string): CivilDate | undefined {
  if (text === undefined) return undefined;
  if (!isCivilDate(text)) throw new OfficerRefusal('BAD_INPUT', `${option}: must be a YYYY-MM-DD date`);
  return text;
}

function councilOf(councils: ReadonlyMap<string, CouncilConfig>, code: string): CouncilConfig {
  const c = councils.get(code);
  if (!c) throw new OfficerRefusal('UNKNOWN_COUNCIL', `council ${code} is not configured`);
  return c;
}

function runSummaryJson(council: string, asOf: string, dryRun: boolean, r: ChunkResult): Record<string, unknown> {
  return {
    council,
    asOf,
    dryRun,
    considered: r.considered,
    audited: r.audited,
    stored: r.stored,
    skipped: r.skipped,
    totals: Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, penceToJson(v)])),
    flags: r.flags,
    reviewsOverdue: r.reviewsOverdue,
    audits: r.audits.map((a) => auditJson(council, a.figures, { auditId: a.auditId, stored: a.auditId !== null })),
  };
}

export function liabilityJson(l: Liability): Record<string, unknown> {
  return { ...l, amountPence: penceToJson(l.amountPence) };
}

export function registerAuditCommands(program: Command, deps: OfficerCliDeps = defaultDeps()): void {
  const { print, json } = cliOutput(deps);

  const audit = program.command('audit').description('DP account audit: surplus, contributions, spend flags, reviews');
  audit
    .command('run')
    .description('audit DPs whose ledger, lines, terms or liabilities changed since their last audit (or one DP)')
    .requiredOption('--council <CODE>', 'council')
    .option('--dp <DP>', 'one DP (audited whether or not it changed)')
    .option('--as-of <YYYY-MM-DD>', "the audit's end date (default: today, Europe/London)")
    .option('--all', 'every DP, changed or not')
    .option('--dry-run', 'compute and print; write nothing (no audit rows, no cases)')
    .option(...JSON_OPTION)
    .action((o: { council: string; dp?: string; asOf?: string; all?: boolean; dryRun?: boolean; json?: boolean }) =>
      run(deps, async ({ ds, councils }) => {
        const c = councilOf(councils, o.council);
        const asOf = date(o.asOf, '--as-of') ?? londonToday();
        const r = await auditCouncil(ds, { council: c.code, settings: c.settings, asOf, dpId: o.dp, all: o.all, dryRun: o.dryRun, findings: openAuditCases });
        if (o.json) return json(runSummaryJson(c.code, asOf, !!o.dryRun, r));
        print([
          `${c.code} audit as of ${asOf}${o.dryRun ? ' (dry run: nothing written)' : ''}: ${r.audited} audited, ${r.stored} stored, ` +
            `${r.skipped.EMPTY_WINDOW} already audited, ${r.skipped.NO_LEDGER} without a ledger`,
          `  surplus ${r.totals.surplusPence}p, council excess ${r.totals.councilExcessPence}p, contribution refunds ${r.totals.contributionRefundPence}p, missed contributions ${r.totals.missedContributionsPence}p`,
          `  flags: ${r.flags.MCC} MCC, ${r.flags.CASH} cash, ${r.flags.SAFEGUARDING} safeguarding; reviews overdue ${r.reviewsOverdue}`,
        ]);
      }),
    );
  audit
    .command('show')
    .description("a DP's latest stored audit, or one computed for --as-of without storing it")
    .requiredOption('--council <CODE>', 'council')
    .requiredOption('--dp <DP>', 'DP id')
    .option('--as-of <YYYY-MM-DD>', 'compute as of this date (nothing stored)')
    .option(...JSON_OPTION)
    .action((o: { council: string; dp: string; asOf?: string; json?: boolean }) =>
      run(deps, async ({ ds, councils }) => {
        const c = councilOf(councils, o.council);
        const s = await showAudit(ds, c.code, c.settings, o.dp, date(o.asOf, '--as-of'));
        if (!s) throw new OfficerRefusal('NOT_FOUND', o.asOf ? `DP ${o.dp} has no audit window or no ledger as of ${o.asOf}` : `DP ${o.dp} has no stored audit`);
        const out = auditJson(c.code, s.figures, { auditId: s.auditId, stored: s.stored });
        if (o.json) return json(out);
        print(Object.entries(out).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
      }),
    );
  audit
    .command('pack')
    .description("write a DP's audit pack (ledger with flags, audit figures, open cases) as CSV and XLSX")
    .requiredOption('--dp <DP>', 'DP id')
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day')
    .requiredOption('--out <DIR>', 'output folder')
    .option('--council <CODE>', 'council (needed only when two councils hold the DP id)')
    .action((o: { dp: string; from: string; to: string; out: string; council?: string }) =>
      run(deps, async ({ ds }) => {
        const from = date(o.from, '--from') as string;
        const to = date(o.to, '--to') as string;
        const council = await packCouncil(ds, o.dp, o.council);
        const w = await writePack(await loadPack(ds, council, o.dp, from, to), o.out);
        print([`wrote ${w.csv}`, `wrote ${w.xlsx}`, `  ${w.ledgerItems} ledger item(s), ${w.audits} audit(s), ${w.cases} open case(s)`]);
      }),
    );

  const liabilities = program.command('liabilities').description("amounts owed from a DP's account (taken off its balance before the surplus)");
  liabilities
    .command('add')
    .description('record a liability (unpaid wages, HMRC, pension, invoice) under your name')
    .requiredOption('--council <CODE>', 'council')
    .requiredOption('--dp <DP>', 'DP id')
    .requiredOption('--kind <KIND>', 'WAGES, HMRC, PENSION, INVOICE or OTHER')
    .requiredOption('--amount <POUNDS>', 'amount owed, e.g. 350.00')
    .option('--owed-on <YYYY-MM-DD>', 'owed from this day (default: today)')
    .requiredOption('--officer <NAME>', 'the officer recording it')
    .option(...JSON_OPTION)
    .action((o: { council: string; dp: string; kind: string; amount: string; owedOn?: string; officer: string; json?: boolean }) =>
      run(deps, async ({ ds }) => {
        let amountPence: bigint;
        try {
          amountPence = parsePounds(o.amount);
        } catch {
          throw new OfficerRefusal('BAD_INPUT', '--amount: pounds with at most 2 decimal places (e.g. 350.00)');
        }
        const l = await addLiability(ds, { council: o.council, dpId: o.dp, kind: o.kind.toUpperCase(), amountPence, owedOn: date(o.owedOn, '--owed-on'), officer: o.officer }, { via: 'cli' });
        if (o.json) return json(liabilityJson(l));
        print(`liability ${l.id} recorded: ${l.council} ${l.dpId} ${l.kind} ${l.amountPence}p owed from ${l.owedOn} (by ${l.recordedBy})`);
      }),
    );
  liabilities
    .command('list')
    .description('liabilities in force (with --all, removed ones too)')
    .option('--council <CODE>', 'one council')
    .option('--dp <DP>', 'one DP')
    .option('--all', 'include removed liabilities')
    .option(...JSON_OPTION)
    .action((o: { council?: string; dp?: string; all?: boolean; json?: boolean }) =>
      run(deps, async ({ ds }) => {
        const list = await listLiabilities(ds, { council: o.council, dpId: o.dp, includeRemoved: o.all });
        if (o.json) return json({ liabilities: list.map(liabilityJson) });
        if (!list.length) return print('no liabilities');
        print(list.map((l) => `  liability ${l.id}  ${l.council}  ${l.dpId}  ${l.kind}  ${l.amountPence}p  owed from ${l.owedOn}  by ${l.recordedBy}${l.removedBy ? `  removed ${l.removedOn} by ${l.removedBy}` : ''}`));
      }),
    );
  liabilities
    .command('remove')
    .description('remove a liability from today (earlier audits keep it)')
    .argument('<ID>', 'liability id')
    .requiredOption('--officer <NAME>', 'the officer removing it')
    .action((id: string, o: { officer: string }) =>
      run(deps, async ({ ds }) => {
        const r = await removeLiability(ds, id, o.officer, { via: 'cli' });
        print(`liability ${r.liability.id} ${r.outcome === 'DONE' ? 'removed' : 'was already removed'} (by ${r.liability.removedBy})`);
      }),
    );
}
