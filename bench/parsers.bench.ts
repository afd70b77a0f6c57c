/**
 * Parse throughput for the statement formats read whole (MT940, BAI2): MB/s and peak RSS on
 * generated files of about `megabytes` each. (camt.053 and card files are timed end to end,
 * database included, by statements.bench.ts.)
 */
import { parseBai2, parseMt940 } from '@dpb/statements/parsers';

function rss(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

function mt940(megabytes: number): { text: string; entries: number } {
  const out: string[] = [];
  let entries = 0;
  let size = 0;
  for (let s = 0; size < megabytes * 1024 * 1024; s++) {
    out.push(`:20:REF${s}`, ':25:089999/66374958', `:28C:${s + 1}/1`, ':60F:C261101GBP1000,00');
    let closing = 100000n;
    for (let i = 0; i < 500; i++) {
      const amount = BigInt(100 + ((s * 500 + i) % 90000));
      closing += amount;
      out.push(`:61:2611${String(1 + (i % 28)).padStart(2, '0')}C${amount / 100n},${String(amount % 100n).padStart(2, '0')}NTRFNONREF//B${i}`, `:86:DP CONTRIBUTION REF ${s}-${i}`);
      entries++;
    }
    out.push(`:62F:C261130GBP${closing / 100n},${String(closing % 100n).padStart(2, '0')}`, '-');
    size += 500 * 70;
  }
  return { text: out.join('\r\n'), entries };
}

function bai2(megabytes: number): { text: string; entries: number } {
  const lines = ['01,SENDER,RECEIVER,261120,0600,1,,,2/', '02,RECEIVER,SENDER,1,261119,2400,GBP,2/'];
  let group = 0n;
  let records = 2;
  let entries = 0;
  let size = 0;
  for (let a = 0; size < megabytes * 1024 * 1024; a++) {
    let total = 100000n;
    lines.push(`03,ACC${a},GBP,010,100000,,/`);
    for (let i = 0; i < 500; i++) {
      const amount = BigInt(100 + ((a * 500 + i) % 90000));
      total += amount;
      lines.push(`16,165,${amount},0,BR${a}-${i},CR${a}-${i},DP CONTRIBUTION/`);
      entries++;
    }
    lines.push(`49,${total},502/`);
    group += total;
    records += 502;
    size += 500 * 45;
  }
  lines.push(`98,${group},${Math.round(records / 502)},${records}/`, `99,${group},1,${records + 2}/`);
  return { text: lines.join('\n'), entries };
}

export async function benchParsers(opts: { megabytes?: number } = {}): Promise<Record<string, unknown>> {
  const mb = opts.megabytes ?? 50;
  const out: Record<string, unknown>[] = [];
  for (const [format, make, parse] of [
    ['mt940', mt940, (t: string) => parseMt940(t)],
    ['bai2', bai2, (t: string) => parseBai2(t, { strict: true })],
  ] as const) {
    const { text, entries } = make(mb);
    const bytes = Buffer.byteLength(text);
    const before = rss();
    const t0 = process.hrtime.bigint();
    const parsed = parse(text);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const parsedEntries = parsed.statements.reduce((n, s) => n + s.entries.length, 0);
    if (parsedEntries !== entries) throw new Error(`${format}: parsed ${parsedEntries} entries, generated ${entries}`);
    out.push({ format, megabytes: +(bytes / 1024 / 1024).toFixed(1), entries, seconds: +seconds.toFixed(2), mbPerSecond: +(bytes / 1024 / 1024 / seconds).toFixed(1), rssBeforeMb: before, rssAfterMb: rss() });
  }
  return { formats: out, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
