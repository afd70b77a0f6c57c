/**
 * Worked example (integration): the audit pack of DPA1 for 2026-11-01..2026-11-30 after the
 * 2026-11-30 audit (figures in dry-run.int-spec.ts). The XLSX is read back:
 *   Ledger sheet: the 9 card items of November; its SETTLED amounts sum (in pence) to the
 *   audit's balance 481000 (the account has no earlier items); flags G1 MCC, G2 SAFEGUARDING, A1 CASH.
 *   Audit sheet: one row whose figures, back in pence, equal the stored audit's.
 *   Open cases sheet: the four cases the audit opened, amounts 273000 + 8000 + 11000 + 5000.
 * The CSV holds the same ledger (amounts as pounds, e.g. "-50.00") and the files are
 * byte-identical when written twice (no clock in them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { registerAuditCommands } from '../../apps/cli/src/audit-commands';
import { auditCouncil, loadPack, openAuditCases, writePack } from '@dpb/audit';
import { type Harness, specCli } from '../support/council-harness';
import { auditCouncilHarness } from './fixtures';

const pence = (v: unknown) => BigInt(Math.round(Number(v) * 100));

describe('audit pack: CSV and XLSX whose totals equal the audit', () => {
  let h: Harness;
  let out: string;
  beforeAll(async () => {
    h = await auditCouncilHarness('AUDPK');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-pack-'));
  }, 60_000);
  afterAll(async () => {
    if (out) fs.rmSync(out, { recursive: true, force: true });
    await h?.close();
  });

  it('writes both files; the XLSX read back agrees with the audit', async () => {
    const r = await auditCouncil(h.ds, { council: h.code, settings: h.council.settings, asOf: '2026-11-30', findings: openAuditCases });
    const audit = r.audits[0].figures;
    const w = await writePack(await loadPack(h.ds, h.code, 'DPA1', '2026-11-01', '2026-11-30'), out);
    expect(path.basename(w.xlsx)).toBe('DPA1_2026-11-01_2026-11-30.xlsx');
    expect(w).toMatchObject({ ledgerItems: 9, audits: 1, cases: 4 });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(w.xlsx);
    const rows = (name: string) => {
      const ws = wb.getWorksheet(name)!;
      const head = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const list: Record<string, unknown>[] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const v = (row.values as unknown[]).slice(1);
        list.push(Object.fromEntries(head.map((h2, i) => [h2, v[i]])));
      });
      return list;
    };
    const ledger = rows('Ledger');
    expect(ledger).toHaveLength(9);
    const settled = ledger.filter((l) => l.status === 'SETTLED').reduce((t, l) => t + pence(l.amount), 0n);
    expect(settled).toBe(audit.balancePence);
    expect(ledger.filter((l) => l.flag).map((l) => [l.id, l.flag])).toEqual([
      ['G1', 'MCC'],
      ['G2', 'SAFEGUARDING'],
      ['A1', 'CASH'],
    ]);
    expect(wb.getWorksheet('Ledger')!.getColumn(6).numFmt).toBe('£#,##0.00;-£#,##0.00');

    const [a] = rows('Audit');
    expect(pence(a.balance)).toBe(audit.balancePence);
    expect(pence(a.contingency)).toBe(audit.contingencyPence);
    expect(pence(a.surplus)).toBe(audit.surplusPence);
    expect(pence(a['council excess'])).toBe(audit.councilExcessPence);
    expect(pence(a['missed contributions'])).toBe(audit.missedContributionsPence);
    expect(pence(a['expected contributions'])).toBe(audit.expectedContributionsPence);
    expect(pence(a['received contributions'])).toBe(audit.receivedContributionsPence);

    const cases = rows('Open cases');
    expect(cases.map((c) => c.kind).sort()).toEqual(['MISSED_CONTRIBUTIONS', 'SAFEGUARDING', 'SPEND_FLAG', 'SURPLUS']);
    const flagged = audit.flags.reduce((t, f) => t + (f.amountPence < 0n ? -f.amountPence : f.amountPence), 0n);
    expect(cases.reduce((t, c) => t + pence(c.amount), 0n)).toBe(audit.councilExcessPence + audit.missedContributionsPence + flagged);

    const csv = fs.readFileSync(w.csv, 'utf8');
    expect(csv.split('\r\n')[1]).toBe('date,id,source,type,status,amount,mcc,merchant,reference,flag');
    expect(csv).toContain('2026-11-13,G2,card,POS,DECLINED,-50.00,7995,BETS R US,,SAFEGUARDING');

    const first = [fs.readFileSync(w.csv), fs.readFileSync(w.xlsx)];
    // Written again through the CLI over two seconds later (a zip entry's time has 2 s steps): the same bytes.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const printed: string[] = [];
    const cli = specCli(h, registerAuditCommands, printed);
    await cli.run('audit', 'pack', '--dp', 'DPA1', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out, '--council', h.code);
    expect(printed).toEqual([`wrote ${w.csv}`, `wrote ${w.xlsx}`, '  9 ledger item(s), 1 audit(s), 4 open case(s)']);
    expect(fs.readFileSync(w.csv).equals(first[0])).toBe(true);
    expect(fs.readFileSync(w.xlsx).equals(first[1])).toBe(true);
  });
});
