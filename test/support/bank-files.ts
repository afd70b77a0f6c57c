/**
 * Hand-written bank, card and returns files for the store and bank-in tests. Amounts are given
 * in pence and written as decimals digit by digit (no float maths).
 */
export const pounds = (pence: bigint): string => {
  const neg = pence < 0n;
  const a = neg ? -pence : pence;
  return `${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
};

export interface CamtEntry {
  amount: bigint; // signed pence: + credit, - debit
  status?: 'BOOK' | 'PDNG';
  date?: string;
  reversal?: boolean;
  subFamily?: string; // e.g. ARET
  e2e?: string;
  reference?: string;
  reason?: string;
  counterparty?: string;
}

export interface CamtStatement {
  account: string;
  seq: string | null;
  opening: bigint;
  closing: bigint;
  entries: CamtEntry[];
}

function entryXml(e: CamtEntry): string {
  const cdi = e.amount < 0n ? 'DBIT' : 'CRDT';
  const amt = pounds(e.amount < 0n ? -e.amount : e.amount);
  const date = e.date ?? '2026-11-20';
  const tx = [
    e.e2e ? `<Refs><EndToEndId>${e.e2e}</EndToEndId></Refs>` : '',
    e.counterparty ? `<RltdPties><${cdi === 'CRDT' ? 'Dbtr' : 'Cdtr'}><Pty><Nm>${e.counterparty}</Nm></Pty></${cdi === 'CRDT' ? 'Dbtr' : 'Cdtr'}></RltdPties>` : '',
    e.reference ? `<RmtInf><Ustrd>${e.reference}</Ustrd></RmtInf>` : '',
    e.reason ? `<RtrInf><Rsn><Cd>${e.reason}</Cd></Rsn></RtrInf>` : '',
  ].join('');
  return `<Ntry><Amt Ccy="GBP">${amt}</Amt><CdtDbtInd>${cdi}</CdtDbtInd>${e.reversal ? '<RvslInd>true</RvslInd>' : ''}` +
    `<Sts><Cd>${e.status ?? 'BOOK'}</Cd></Sts><BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${e.subFamily ?? 'ACDT'}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    (tx ? `<NtryDtls><TxDtls>${tx}</TxDtls></NtryDtls>` : '') + `</Ntry>\n`;
}

function bal(type: string, v: bigint, date: string): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${pounds(v < 0n ? -v : v)}</Amt>` +
    `<CdtDbtInd>${v < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

export function camtStatementXml(s: CamtStatement, i = 0): string {
  return `<Stmt><Id>S${i}</Id>${s.seq === null ? '' : `<ElctrncSeqNb>${s.seq}</ElctrncSeqNb>`}` +
    `<Acct><Id><Othr><Id>${s.account}</Id></Othr></Id><Ccy>GBP</Ccy></Acct>` +
    bal('OPBD', s.opening, '2026-11-19') + bal('CLBD', s.closing, '2026-11-20') + '\n' +
    s.entries.map(entryXml).join('') + `</Stmt>\n`;
}

export const camtHead = (msgId: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
  `<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-11-20T06:00:00</CreDtTm></GrpHdr>\n`;
export const camtTail = `</BkToCstmrStmt></Document>\n`;

/** A whole camt.053 document; `msgId` changes the bytes without changing any statement. */
export function camt053(statements: CamtStatement[], msgId = 'M1'): string {
  return camtHead(msgId) + statements.map(camtStatementXml).join('') + camtTail;
}

/** Closing balance = opening + booked entries (the integrity rule, computed independently here). */
export function closingOf(opening: bigint, entries: CamtEntry[]): bigint {
  return entries.filter((e) => (e.status ?? 'BOOK') === 'BOOK').reduce((a, e) => a + e.amount, opening);
}

export interface CardRow {
  txn: string;
  account: string;
  at: string;
  type?: string;
  status: 'SETTLED' | 'PENDING' | 'REVERSED' | 'DECLINED';
  amount: bigint;
  mcc?: string;
  merchant?: string;
  reference?: string;
  balance?: bigint | null;
}

export const CARD_HEADER = 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor';

export function cardCsv(rows: CardRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [CARD_HEADER, ...rows.map((r) =>
    [r.txn, r.account, r.at, r.type ?? 'POS', r.status, r.amount.toString(), 'GBP', r.mcc ?? '', q(r.merchant ?? ''), q(r.reference ?? ''),
      r.balance === undefined || r.balance === null ? '' : r.balance.toString()].join(','),
  )].join('\n') + '\n';
}

export interface ArucsRow {
  reference: string;
  amount: string;
  reason: string;
  e2e?: string;
  returnDate?: string;
}

/** The ARUCS-style returns CSV (docs/formats/statements.md), with a payee-name column that must be ignored. */
export function arucsCsv(rows: ArucsRow[]): string {
  return ['return_date,original_processing_date,reference,end_to_end_id,payee_name,amount,reason_code',
    ...rows.map((r) => [r.returnDate ?? '2026-11-24', '2026-11-18', r.reference, r.e2e ?? '', 'A PERSON', r.amount, r.reason].join(',')),
  ].join('\n') + '\n';
}
