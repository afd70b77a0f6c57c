/**
 * Officers' case commands (docs/officers.md "Cases"):
 *
 *   dpbridge cases list [--council C] [--dp DP] [--kind K] [--status S] [--json]
 *   dpbridge cases show CASE [--json]
 *   dpbridge cases propose CASE --officer NAME [--amount POUNDS] [--reason TEXT]
 *   dpbridge cases approve CASE --officer NAME      (not the proposer: four eyes)
 *   dpbridge cases reject CASE --officer NAME [--reason TEXT]
 *   dpbridge cases close CASE --officer NAME [--reason TEXT]
 *
 * A refusal ends the command with a one-line reason and a non-zero exit.
 */
import type { Command } from 'commander';
import { parsePounds } from '@dpb/common';
import { OfficerRefusal } from '@dpb/payments';
import {
  CaseService,
  caseViewJson,
  casesJson,
  decisionJson,
  isCaseKind,
  isCaseStatus,
  renderCase,
  renderCaseDecision,
  renderCases,
} from '@dpb/cases';
import { defaultDeps, run, type OfficerCliDeps } from './officer-commands';
import { cliOutput, JSON_OPTION, ONE_COUNCIL_OPTION } from './output';

const VIA = { via: 'cli' };

function amountOf(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  try {
    const p = parsePounds(text);
    if (p < 0n) throw new RangeError('negative');
    return p;
  } catch {
    throw new OfficerRefusal('BAD_INPUT', '--amount: pounds with at most 2 decimal places, 0 or more (e.g. 2023.45)');
  }
}

export function registerCaseCommands(program: Command, deps: OfficerCliDeps = defaultDeps()): void {
  const out = cliOutput(deps);

  const cases = program.command('cases').description('officer cases: findings to propose, approve (four eyes), reject or close');
  cases
    .command('list')
    .description('list cases, newest first')
    .option(...ONE_COUNCIL_OPTION)
    .option('--dp <DP>', 'one DP')
    .option('--kind <KIND>', 'e.g. PAYMENT_UNCONFIRMED, DEATH, SURPLUS')
    .option('--status <STATUS>', 'OPEN, PROPOSED, APPROVED, REJECTED or CLOSED')
    .option(...JSON_OPTION)
    .action((o: { council?: string; dp?: string; kind?: string; status?: string; json?: boolean }) =>
      run(deps, async ({ ds }) => {
        if (o.kind !== undefined && !isCaseKind(o.kind)) throw new OfficerRefusal('BAD_INPUT', `--kind: not a case kind`);
        if (o.status !== undefined && !isCaseStatus(o.status)) throw new OfficerRefusal('BAD_INPUT', `--status: not a case status`);
        out.show(o.json, await new CaseService(ds).list({ council: o.council, dpId: o.dp, kind: o.kind, status: o.status }), renderCases, casesJson);
      }),
    );
  cases
    .command('show')
    .description('one case with its evidence and history')
    .argument('<CASE>', 'case id')
    .option(...JSON_OPTION)
    .action((id: string, o: { json?: boolean }) =>
      run(deps, async ({ ds }) => out.show(o.json, await new CaseService(ds).show(id), renderCase, caseViewJson)),
    );
  cases
    .command('propose')
    .description('propose a case (amount may be amended); another officer approves or rejects it')
    .argument('<CASE>', 'case id')
    .requiredOption('--officer <NAME>', 'the proposing officer')
    .option('--amount <POUNDS>', 'the amount proposed, e.g. 2023.45 (default: the amount found)')
    .option('--reason <TEXT>', 'kept in the case history')
    .option(...JSON_OPTION)
    .action((id: string, o: { officer: string; amount?: string; reason?: string; json?: boolean }) =>
      run(deps, async ({ ds }) =>
        out.show(o.json, await new CaseService(ds).propose(id, o.officer, { ...VIA, reason: o.reason, amountPence: amountOf(o.amount) }), renderCaseDecision, decisionJson),
      ),
    );
  for (const [name, text] of [
    ['approve', 'approve a proposed case (not by its proposer: four eyes)'],
    ['reject', 'reject a proposed case (not by its proposer: four eyes)'],
    ['close', 'close a case (closing a DEATH case lifts the hold on the DPs it names)'],
  ] as const) {
    cases
      .command(name)
      .description(text)
      .argument('<CASE>', 'case id')
      .requiredOption('--officer <NAME>', 'the officer taking the decision')
      .option('--reason <TEXT>', 'kept in the case history')
      .option(...JSON_OPTION)
      .action((id: string, o: { officer: string; reason?: string; json?: boolean }) =>
        run(deps, async ({ ds }) => out.show(o.json, await new CaseService(ds)[name](id, o.officer, { ...VIA, reason: o.reason }), renderCaseDecision, decisionJson)),
      );
  }
}
