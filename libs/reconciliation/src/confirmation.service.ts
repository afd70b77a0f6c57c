/**
 * Payment confirmation for one council and night (docs/reconciliation.md): reads what was
 * delivered and what the card and bank files show, applies the matching rules (rules/), records
 * the matches once, and turns what is left into officer cases:
 *
 * - a card load or a run not confirmed once its window has closed: PAYMENT_UNCONFIRMED;
 * - a LOAD on a card that none of our loads explains, or a credit on the payment account naming
 *   one of our payments that no Bacs return explains: UNEXPECTED_CREDIT;
 * - a matched Bacs return: RETURNED_PAYMENT, or DEATH when the reason is "beneficiary deceased"
 *   (the DEATH case names the person's DPs: their lines are held until an officer closes it);
 * - the payment run's recovery proposals: OVERPAYMENT (payment after death included).
 *
 * Every case has a dedup key derived from its subject, so a re-run opens nothing new.
 */
import type { DataSource } from 'typeorm';
import { BacsCalendar, addDays, compareDates, maxDate, minDate, type CivilDate } from '@dpb/common';
import { CaseService, type CaseFinding, type CaseKind } from '@dpb/cases';
import type { CouncilSettings } from '@dpb/payments';
import * as repo from './reconciliation.repository';
import {
  LOOKBACK_DAYS,
  bankCreditGraceTo,
  candidateNames,
  loadWindow,
  matchBacsRuns,
  matchCardLoads,
  runDebitWindow,
  unconfirmedLoads,
  unexpectedLoadGraceTo,
  unexpectedBankCredits,
  unexpectedLoads,
  type ExpectedLoad,
  type ExpectedRunDebit,
  type ReconciliationSettings,
} from './rules';

export interface ConfirmationSummary {
  cardLoadsConfirmed: number;
  cardLoadsPending: number;
  runsConfirmed: number;
  runsPending: number;
  /** Cases opened this time, by kind. */
  casesOpened: Partial<Record<CaseKind, number>>;
}

export interface ConfirmationArgs {
  council: string;
  nightDate: CivilDate;
  settings: CouncilSettings;
  calendar?: BacsCalendar;
}

const SOURCE = 'reconcile';

/** Statement accounts the payment files debit: the configured ones, else those holding the originating account number. */
export function paymentAccountsOf(accounts: readonly string[], settings: CouncilSettings): string[] {
  const listed = settings.reconciliation.paymentAccounts;
  if (listed.length) return accounts.filter((a) => listed.includes(a));
  const number = settings.finance.originatingAccountNumber;
  if (!number) return [];
  return accounts.filter((a) => a.replace(/[^0-9A-Za-z]/g, '').endsWith(number));
}

export async function confirmPayments(ds: DataSource, args: ConfirmationArgs): Promise<ConfirmationSummary> {
  const { council, nightDate, settings } = args;
  const calendar = args.calendar ?? BacsCalendar.bundled();
  const rs: ReconciliationSettings = settings.reconciliation;
  const findings: CaseFinding[] = [];
  const finding = (f: Omit<CaseFinding, 'council' | 'on' | 'source'>) => findings.push({ ...f, council, on: nightDate, source: SOURCE });

  const summary = await ds.transaction(async (m) => {
    await repo.lockReconciliation(m, council);
    const cases = new CaseService(m);
    const unknown = async <T>(kind: CaseKind, xs: readonly T[], keyOf: (x: T) => string): Promise<T[]> => {
      const known = await cases.knownKeys(council, kind, xs.map(keyOf));
      return xs.filter((x) => !known.has(keyOf(x)));
    };

    const since = maxDate(settings.goLiveDate, addDays(nightDate, -LOOKBACK_DAYS));
    // Card loads.
    const pending = await repo.pendingCardLoads(m, council, since);
    const windows = new Map<CivilDate, { from: CivilDate; to: CivilDate }>(); // one per run date, not per load
    const loads: (ExpectedLoad & { row: repo.PendingCardLoadRow })[] = pending.map((r) => {
      const w = windows.get(r.run_date) ?? windows.set(r.run_date, loadWindow(calendar, r.run_date, rs)).get(r.run_date)!;
      return { creditId: r.credit_id, provider: r.provider, accountRef: r.account_ref, amountPence: BigInt(r.amount_pence), paymentRef: r.payment_ref, windowFrom: w.from, windowTo: w.to, row: r };
    });
    const items = (await repo.unmatchedLoadItems(m, council, since)).map(repo.toLoadItem);
    const loadMatches = matchCardLoads(loads, items, nightDate);
    const cardLoadsConfirmed = await repo.insertCardLoadMatches(m, council, loadMatches, nightDate);
    const unconfirmed = await unknown('PAYMENT_UNCONFIRMED', unconfirmedLoads(loads, loadMatches, nightDate) as typeof loads, (l) => `card_load:${l.creditId}`);
    const unconfirmedLines = await repo.linesOfCredits(m, unconfirmed.map((l) => ({ creditId: l.creditId, runId: l.row.run_id })));
    for (const l of unconfirmed) {
      const row = l.row;
      finding({
        dpId: unconfirmedLines.get(l.creditId)?.dp_ids[0] ?? null, kind: 'PAYMENT_UNCONFIRMED', dedupKey: `card_load:${l.creditId}`, amountPence: l.amountPence,
        evidence: [{ type: 'credit', id: l.creditId }, { type: 'payment_run', id: row.run_id }],
        detail: { channel: 'CARD', provider: l.provider, windowTo: l.windowTo },
      });
    }
    for (const it of unexpectedLoads(items, loadMatches, (i) => unexpectedLoadGraceTo(calendar, i.postingDate, rs), nightDate)) {
      finding({
        dpId: null, kind: 'UNEXPECTED_CREDIT', dedupKey: `card_txn:${it.provider}:${it.txnId}`, amountPence: it.amountPence,
        evidence: [{ type: 'card_txn', id: it.txnId }],
        detail: { provider: it.provider, postingDate: it.postingDate },
      });
    }

    // Bacs runs.
    let runsConfirmed = 0;
    let runsPending = 0;
    const accounts = paymentAccountsOf(await repo.statementAccounts(m, council), settings);
    if (settings.finance.paymentFormat !== 'NONE') {
      const runs = await repo.pendingRuns(m, council, since);
      const expected: (ExpectedRunDebit & { confirmBy: CivilDate })[] = runs.map((r) => {
        const w = runDebitWindow(calendar, r.run_date, rs);
        return { runId: r.run_id, totalPence: BigInt(r.total_pence), processingDay: w.processingDay, entryDay: w.entryDay, confirmBy: w.confirmBy, credits: [] };
      });
      if (expected.length) {
        const debits = (await repo.unmatchedDebits(m, council, accounts, minDate(expected[0].processingDay, ...expected.map((e) => e.processingDay)))).map(repo.toBankDebit);
        const contras = matchBacsRuns(expected, debits);
        const used = new Set(contras.flatMap((c) => c.entryIds));
        // Itemised matching reads a run's credits: only for runs with debits booked in their days.
        const unusedDebits = debits.filter((d) => !used.has(d.entryId));
        const rest = expected.filter(
          (e) => !contras.some((c) => c.runId === e.runId) &&
            unusedDebits.some((d) => compareDates(d.bookingDate, e.processingDay) >= 0 && compareDates(d.bookingDate, e.entryDay) <= 0),
        );
        for (const e of rest) {
          e.credits = (await repo.creditsOfRun(m, e.runId)).map((c) => ({ creditId: c.credit_id, paymentRef: c.payment_ref, endToEndId: c.end_to_end_id, amountPence: BigInt(c.amount_pence) }));
        }
        const itemised = matchBacsRuns(rest, unusedDebits);
        for (const match of [...contras, ...itemised]) {
          const e = expected.find((x) => x.runId === match.runId)!;
          if (await repo.insertRunMatch(m, council, match, e.totalPence, nightDate)) runsConfirmed++;
        }
        const done = new Set([...contras, ...itemised].map((x) => x.runId));
        for (const e of expected) {
          if (done.has(e.runId)) continue;
          runsPending++;
          if (compareDates(nightDate, e.confirmBy) > 0) {
            finding({
              dpId: null, kind: 'PAYMENT_UNCONFIRMED', dedupKey: `bacs_run:${e.runId}`, amountPence: e.totalPence,
              evidence: [{ type: 'payment_run', id: e.runId }],
              detail: { channel: 'BACS', processingDay: e.processingDay, confirmBy: e.confirmBy },
            });
          }
        }
      }
    }

    // Credits on the payment account naming our payments that no return explains.
    const entries = (await repo.unexplainedCredits(m, council, accounts, since)).map(repo.toBankCredit);
    if (entries.length) {
      const names = [...new Set(entries.flatMap(candidateNames))];
      const named = await repo.creditsNamed(m, council, names);
      const advised = await repo.advisedReturns(m, council, named.map((c) => c.creditId));
      const found = unexpectedBankCredits(entries, named, await repo.runsNamed(m, council, names), advised, (d) => bankCreditGraceTo(calendar, d, rs), nightDate);
      const fresh = await unknown('UNEXPECTED_CREDIT', found, (u) => `bank_entry:${u.entry.entryId}`);
      const runOf = new Map(named.map((c) => [c.creditId, c.runId]));
      const lines = await repo.linesOfCredits(m, fresh.flatMap((u) => u.creditIds.map((creditId) => ({ creditId, runId: runOf.get(creditId)! }))));
      for (const u of fresh) {
        finding({
          dpId: u.creditIds.map((c) => lines.get(c)?.dp_ids[0]).find((x) => x) ?? null, kind: 'UNEXPECTED_CREDIT', dedupKey: `bank_entry:${u.entry.entryId}`,
          amountPence: u.entry.amountPence,
          evidence: [{ type: 'bank_entry', id: u.entry.entryId }, ...u.creditIds.map((id) => ({ type: 'credit', id })), ...u.runIds.map((id) => ({ type: 'payment_run', id }))],
          detail: { channel: 'BANK', bookingDate: u.entry.bookingDate },
        });
      }
    }

    // Bacs returns (matched in bank-in) and the payment run's recovery proposals.
    // A deceased beneficiary is one DEATH case per payee, however many advices (camt, ARUCS) report it.
    const returns = await repo.matchedReturns(m, council);
    const firstPerPayee = new Map<string, repo.MatchedReturnRow>();
    for (const r of returns) if (r.deceased && !firstPerPayee.has(r.payee_id)) firstPerPayee.set(r.payee_id, r);
    const deaths = await unknown('DEATH', [...firstPerPayee.values()], (r) => `payee:${r.payee_id}`);
    const returned = await unknown('RETURNED_PAYMENT', returns.filter((r) => !r.deceased), (r) => `return:${r.id}`);
    const returnLines = await repo.linesOfCredits(m, [...deaths, ...returned].map((r) => ({ creditId: r.credit_id, runId: r.run_id })));
    const evidenceOf = (r: repo.MatchedReturnRow) => [{ type: 'bacs_return', id: r.id }, { type: 'credit', id: r.credit_id }, { type: 'payment_run', id: r.run_id }];
    for (const r of deaths) {
      const lines = returnLines.get(r.credit_id);
      const dps = [...new Set([...(lines?.dp_ids ?? []), ...(await repo.dpsOfPersons(m, council, lines?.person_ids ?? []))])].sort();
      finding({
        dpId: lines?.dp_ids[0] ?? null, kind: 'DEATH', dedupKey: `payee:${r.payee_id}`, amountPence: BigInt(r.amount_minor),
        evidence: [...evidenceOf(r), ...dps.map((id) => ({ type: 'dp', id }))],
        detail: { reasonCode: r.reason_code, returnDate: r.return_date, dps },
      });
    }
    for (const r of returned) {
      finding({
        dpId: returnLines.get(r.credit_id)?.dp_ids[0] ?? null, kind: 'RETURNED_PAYMENT', dedupKey: `return:${r.id}`, amountPence: BigInt(r.amount_minor),
        evidence: evidenceOf(r), detail: { reasonCode: r.reason_code, returnDate: r.return_date },
      });
    }
    for (const p of await repo.runRecoveries(m, council)) {
      finding({
        dpId: p.dp_id, kind: p.reason === 'DEATH' ? 'DEATH' : 'OVERPAYMENT', dedupKey: `recovery:${p.id}`, amountPence: BigInt(p.amount_pence),
        evidence: [{ type: 'recovery_proposal', id: p.id }, ...(p.run_id ? [{ type: 'payment_run', id: p.run_id }] : [])],
        detail: { reason: p.reason, periodStart: p.period_start, periodEnd: p.period_end },
      });
    }

    // Cases, in the same transaction: the matches and the cases they leave stand or fall together.
    const casesOpened: Partial<Record<CaseKind, number>> = {};
    const fresh = await cases.newFindings(findings);
    (await cases.openOrUpdateMany(fresh)).forEach((r, i) => {
      if (r.outcome === 'OPENED') casesOpened[fresh[i].kind] = (casesOpened[fresh[i].kind] ?? 0) + 1;
    });
    return {
      cardLoadsConfirmed,
      cardLoadsPending: loads.length - loadMatches.length,
      runsConfirmed,
      runsPending,
      casesOpened,
    };
  });
  return summary;
}
