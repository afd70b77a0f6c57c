/**
 * A sample council bank statement, card transaction files and a Bacs returns (ARUCS) file for a
 * delivered payment run, as the bank and the card provider would send them (for `npm run demo`
 * and tests). Pure and deterministic: derived from what the run's files say, never the clock.
 *
 * - the bank statement (camt.053) for the council's payment account: the run's contra debit on
 *   the processing day, and a camt return (ARET, reason AC04 "closed account") of the second
 *   bank credit on `answerDay`;
 * - an ARUCS file returning the first bank credit with reason 2 (beneficiary deceased), dated
 *   `answerDay`;
 * - per card provider, a card file with each card load posted on `answerDay` under our
 *   reference, except the last one (a load the provider did not make), plus one 25.00 LOAD on a
 *   card account we never loaded, posted on `unexpectedLoadOn`.
 * A real bank returns a credit days after the entry day; the sample answers on one day
 * (`answerDay`, e.g. the processing day) so that one demo night sees it all.
 * No names: account references, references and amounts only.
 */
import type { CivilDate } from '@dpb/common';

export interface SampleCredit {
  ref: string;
  amountPence: bigint;
  endToEndId?: string;
}

export interface SampleCardLoad {
  accountRef: string;
  amountPence: bigint;
  ref: string;
}

export interface BankSampleInput {
  runId: string;
  /** The council's payment account, as the statement names it. */
  account: string;
  processingDay: CivilDate;
  /** The day the bank and the provider report on (statement, returns, loads). */
  answerDay: CivilDate;
  /** The run's payment-file credits (bank payees and card providers' funding accounts). */
  credits: readonly SampleCredit[];
  /** Card loads by provider (upper case). */
  cardLoads: ReadonlyMap<string, readonly SampleCardLoad[]>;
  /** Credits that pay bank payees (not card funding accounts): the ones a bank can return. */
  bankCreditRefs: readonly string[];
  unexpectedLoadOn: CivilDate;
  openingPence: bigint;
}

export interface SampleFile {
  /** bank or card inbox. */
  inbox: 'bank' | 'card';
  name: string;
  content: string;
}

const pounds = (p: bigint) => {
  const a = p < 0n ? -p : p;
  return `${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
};
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const compact = (d: CivilDate) => d.replace(/-/g, '');

interface Entry {
  amount: bigint;
  date: CivilDate;
  reference: string;
  e2e?: string;
  aret?: string;
}

function entryXml(e: Entry): string {
  const cdi = e.amount < 0n ? 'DBIT' : 'CRDT';
  const refs = e.e2e ? `<Refs><EndToEndId>${xml(e.e2e)}</EndToEndId></Refs>` : '';
  const rtr = e.aret ? `<RtrInf><Rsn><Cd>${e.aret}</Cd></Rsn></RtrInf>` : '';
  return (
    `<Ntry><Amt Ccy="GBP">${pounds(e.amount)}</Amt><CdtDbtInd>${cdi}</CdtDbtInd>${e.aret ? '<RvslInd>true</RvslInd>' : ''}` +
    `<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${e.aret ? 'ARET' : 'ACDT'}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls>${refs}<RmtInf><Ustrd>${xml(e.reference)}</Ustrd></RmtInf>${rtr}</TxDtls></NtryDtls></Ntry>\n`
  );
}

function balXml(type: string, v: bigint, date: CivilDate): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${pounds(v)}</Amt><CdtDbtInd>${v < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

export function bankSampleFiles(input: BankSampleInput): SampleFile[] {
  const files: SampleFile[] = [];
  const total = input.credits.reduce((a, c) => a + c.amountPence, 0n);
  const bank = input.credits.filter((c) => input.bankCreditRefs.includes(c.ref)).sort((a, b) => (a.ref < b.ref ? -1 : 1));
  const entries: Entry[] = [{ amount: -total, date: input.processingDay, reference: `BACS ${input.runId}` }];
  const aret = bank[1];
  if (aret) entries.push({ amount: aret.amountPence, date: input.answerDay, reference: aret.ref, e2e: aret.endToEndId, aret: 'AC04' });
  const closing = entries.reduce((a, e) => a + e.amount, input.openingPence);
  const msgId = `${input.runId}-STMT`;
  files.push({
    inbox: 'bank',
    name: `stmt_${compact(input.answerDay)}_${input.runId}.xml`,
    content:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
      `<GrpHdr><MsgId>${xml(msgId)}</MsgId><CreDtTm>${input.answerDay}T06:00:00</CreDtTm></GrpHdr>\n` +
      `<Stmt><Id>${xml(msgId)}</Id><ElctrncSeqNb>1</ElctrncSeqNb><Acct><Id><Othr><Id>${xml(input.account)}</Id></Othr></Id><Ccy>GBP</Ccy></Acct>` +
      balXml('OPBD', input.openingPence, input.processingDay) + balXml('CLBD', closing, input.answerDay) + '\n' +
      entries.map(entryXml).join('') + `</Stmt>\n</BkToCstmrStmt></Document>\n`,
  });
  const deceased = bank[0];
  if (deceased) {
    files.push({
      inbox: 'bank',
      name: `arucs_${compact(input.answerDay)}_${input.runId}.csv`,
      content: ['return_date,original_processing_date,reference,end_to_end_id,amount,reason_code', [input.answerDay, input.processingDay, deceased.ref, deceased.endToEndId ?? '', pounds(deceased.amountPence), '2'].join(',')].join('\n') + '\n',
    });
  }
  const providers = [...input.cardLoads.keys()].sort();
  providers.forEach((provider, i) => {
    const loads = [...(input.cardLoads.get(provider) ?? [])].sort((a, b) => (a.accountRef < b.accountRef ? -1 : a.accountRef > b.accountRef ? 1 : 0));
    const rows = loads.slice(0, Math.max(0, loads.length - 1)).map((l, n) => [`${input.runId}-L${n + 1}`, l.accountRef, `${input.answerDay}T07:00:00Z`, 'LOAD', 'SETTLED', l.amountPence.toString(), 'GBP', '', '', l.ref, '']);
    if (i === 0) rows.push([`${input.runId}-X1`, 'CARD-NOT-OURS', `${input.unexpectedLoadOn}T10:00:00Z`, 'LOAD', 'SETTLED', '2500', 'GBP', '', '', 'TOP UP', '']);
    if (!rows.length) return;
    files.push({
      inbox: 'card',
      name: `cards_${provider.toLowerCase()}_${compact(input.answerDay)}.csv`,
      content: ['txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor', ...rows.map((r) => r.join(','))].join('\n') + '\n',
    });
  });
  return files;
}
