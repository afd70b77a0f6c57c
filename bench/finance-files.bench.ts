/**
 * Finance-file benchmark (no database): a synthetic, deterministic PaymentRunFilesInput at
 * council scale (200,000 credits by default), then for each format the write time, the
 * verification time (re-read + compare, as the payment stage does), the bytes, and memory:
 * the process RSS peak sampled every few milliseconds from a worker thread (so it also sees
 * the synchronous writers and readers), main-thread heap after each phase, and
 * `process.resourceUsage().maxRSS` for the whole process.
 *
 *   node dist/bench/run.js finance-files '{"credits":200000}'   (once wired into bench/run.ts)
 *   node -e "require('./dist/bench/finance-files.bench').benchFinanceFiles({}).then(r => console.log(JSON.stringify(r, null, 1)))"
 */
import { Worker } from 'node:worker_threads';
import {
  type CardLoad, type Credit, type CreditLine, type ExpectedFile, type PaymentRunFilesInput, type WrittenFile,
  verifyWrittenFile, writeBacsStd18, writeCardLoadFiles, writePain001, writeRunFiles, writeSapCsv, writeSapIdoc,
} from '@dpb/payments/files';

export interface FinanceFilesBenchOptions {
  /** Credits in the run (default 200,000). */
  credits?: number;
  /** Average written lines per credit (default 2.5: alternately 2 and 3, one of them an ADJUSTMENT). */
  linesPerCredit?: number;
}

const MB = 1024 * 1024;
const NAMES = ["Mrs Zoë O'Neill-Smith", 'J Smith & Co', 'A <Brown> "Trust"', 'Ørjan Ñúñez', 'Patel Family Account', 'K. Lee'];

/** Deterministic 32-bit LCG (no Math.random: two runs build the same input). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Builds the synthetic run. Every 10th credit is a card payee with one card load; the sums are exact by construction. */
export function syntheticRun(credits: number, linesPerCredit: number): { input: PaymentRunFilesInput; totalPence: bigint } {
  const rnd = lcg(20261209);
  const out: Credit[] = new Array<Credit>(credits);
  const cardLoads: CardLoad[] = [];
  let totalPence = 0n;
  // Alternate floor/ceil line counts so the average is linesPerCredit.
  const low = Math.max(1, Math.floor(linesPerCredit));
  const frac = linesPerCredit - low;
  let carry = 0;
  for (let i = 0; i < credits; i++) {
    carry += frac;
    let n = low;
    if (carry >= 1) {
      n++;
      carry -= 1;
    }
    const ref = `BM${pad(i + 1, 8)}`;
    const card = i % 10 === 9;
    const lines: CreditLine[] = [];
    let amount = 0n;
    for (let k = 0; k < n; k++) {
      const adjustment = k === 1 && n > 1;
      // Regular lines 100.00-999.99; an adjustment of -0.01..-99.99, always smaller than the first line.
      const pence = adjustment ? -BigInt(1 + (rnd() % 9999)) : BigInt(10000 + (rnd() % 90000));
      amount += pence;
      lines.push({
        dpId: `DP${pad(i * 4 + k, 7)}`,
        kind: adjustment ? 'ADJUSTMENT' : 'REGULAR',
        periodStart: adjustment ? '2026-11-16' : '2026-12-14',
        periodEnd: adjustment ? '2026-12-13' : '2027-01-10',
        costCentre: card ? 'CC4020' : 'CC4010',
        glAccount: card ? '520110' : '520100',
        payablePence: pence,
      });
    }
    if (i % 7 === 3) {
      lines.push({ dpId: `DP${pad(i * 4 + n, 7)}`, kind: 'REGULAR', periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC4010', glAccount: '520100', payablePence: 0n });
    }
    totalPence += amount;
    const payeeId = `PY${pad(i + 1, 7)}`;
    out[i] = {
      paymentRef: ref,
      endToEndId: `BM-20261209-1-${ref}`,
      payeeId,
      vendorNo: card ? '4999001' : String(1000000 + i),
      sortCode: card ? '089999' : pad(200000 + (rnd() % 700000), 6),
      accountNumber: card ? '66374958' : pad(rnd() % 100000000, 8),
      accountName: card ? 'ALLPAY FUNDING' : NAMES[i % NAMES.length],
      amountPence: amount,
      lines,
    };
    if (card) cardLoads.push({ provider: 'ALLPAY', accountRef: `AP${pad(i + 1, 10)}`, payeeId, amountPence: amount, reference: ref });
  }
  const input: PaymentRunFilesInput = {
    runId: 'BM-20261209-1',
    council: 'BM',
    runDate: '2026-12-09',
    processingDate: '2026-12-10',
    entryDate: '2026-12-11',
    sequence: 1,
    settings: {
      council: 'BM',
      sapCompanyCode: 'BM01',
      sapDocTypePayment: 'KR',
      currency: 'GBP',
      bacsServiceUserNumber: '123456',
      originatorName: 'BENCH COUNCIL',
      originatingSortCode: '089999',
      originatingAccountNumber: '66374958',
      originatingAccountName: 'BENCH COUNCIL DP',
      debtorName: 'Bench County Council',
    },
    credits: out,
    cardLoads,
  };
  return { input, totalPence };
}

/** Samples the process RSS from a worker thread, so the peak includes synchronous work on the main thread. */
class RssSampler {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8)); // [peak MB, stop flag]
  private readonly worker: Worker;

  constructor(intervalMs = 5) {
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const a = workerData.a;
       const tick = () => {
         if (Atomics.load(a, 1) === 1) return;
         const mb = Math.ceil(process.memoryUsage.rss() / ${MB});
         if (mb > Atomics.load(a, 0)) Atomics.store(a, 0, mb);
         setTimeout(tick, ${intervalMs});
       };
       tick();`,
      { eval: true, workerData: { a: this.shared } },
    );
    this.worker.unref();
  }

  /** Starts a new phase: the peak restarts from the current RSS. */
  reset(): void {
    Atomics.store(this.shared, 0, Math.ceil(process.memoryUsage.rss() / MB));
  }

  peakMb(): number {
    return Math.max(Atomics.load(this.shared, 0), Math.ceil(process.memoryUsage.rss() / MB));
  }

  async stop(): Promise<void> {
    Atomics.store(this.shared, 1, 1);
    await this.worker.terminate();
  }
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const heapMb = (): number => Math.round(process.memoryUsage().heapUsed / MB);
const seconds = (t0: bigint): number => Number((process.hrtime.bigint() - t0) / 1000n) / 1e6;
/** Let the sampler thread take a reading between phases. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

export async function benchFinanceFiles(opts: FinanceFilesBenchOptions = {}): Promise<Record<string, unknown>> {
  const credits = opts.credits ?? 200_000;
  const linesPerCredit = opts.linesPerCredit ?? 2.5;
  const sampler = new RssSampler();
  try {
    const t0 = process.hrtime.bigint();
    const { input, totalPence } = syntheticRun(credits, linesPerCredit);
    const buildSeconds = seconds(t0);
    const refs = input.credits.map((c) => c.paymentRef);
    const writtenLines = input.credits.reduce((n, c) => n + c.lines.filter((l) => l.payablePence !== 0n).length, 0);
    const cardTotal = input.cardLoads.reduce((s, l) => s + l.amountPence, 0n);
    const creditExpected: ExpectedFile = { records: credits, totalPence, refs };

    const formats: Array<{ format: string; write: () => WrittenFile[]; expected: (f: WrittenFile) => ExpectedFile }> = [
      { format: 'SAP_IDOC', write: () => [writeSapIdoc(input, { paymentBlock: 'A' })], expected: () => creditExpected },
      { format: 'SAP_CSV', write: () => [writeSapCsv(input, { paymentBlock: 'A' })], expected: () => creditExpected },
      { format: 'BACS_STD18', write: () => [writeBacsStd18(input)], expected: () => creditExpected },
      { format: 'PAIN001', write: () => [writePain001(input)], expected: () => creditExpected },
      {
        format: 'CARDLOAD',
        write: () => writeCardLoadFiles(input),
        expected: () => ({ records: input.cardLoads.length, totalPence: cardTotal, refs: input.cardLoads.map((l) => l.reference) }),
      },
    ];

    // What the payment stage does (bench/payments.bench.ts settings): SAP IDoc + Std 18 + card loads, each verified.
    gc();
    await settle();
    sampler.reset();
    const tr = process.hrtime.bigint();
    const run = writeRunFiles(input, { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18' });
    const stageFiles = run.all.map((f) => `${f.name} (${f.content.length} bytes)`);
    let runOk = true;
    for (const file of run.all) {
      const expected = file.name.includes('_CARDLOAD_')
        ? { records: input.cardLoads.length, totalPence: cardTotal }
        : creditExpected;
      runOk &&= verifyWrittenFile(file, expected).ok;
    }
    const runSeconds = seconds(tr);
    await settle();
    const runRssPeakMb = sampler.peakMb();
    run.all.length = 0; // let the files go before the per-format runs


    const results: Record<string, unknown>[] = [];
    for (const f of formats) {
      gc();
      await settle();
      sampler.reset();
      const heapBefore = heapMb();
      const tw = process.hrtime.bigint();
      const files = f.write();
      const writeSeconds = seconds(tw);
      const heapAfterWrite = heapMb();
      await settle();
      const writeRssPeakMb = sampler.peakMb();
      sampler.reset();
      const tv = process.hrtime.bigint();
      const problems: string[] = [];
      for (const file of files) {
        const v = verifyWrittenFile(file, f.expected(file));
        if (!v.ok) problems.push(...v.problems.slice(0, 5));
      }
      const verifySeconds = seconds(tv);
      const heapAfterVerify = heapMb();
      await settle();
      results.push({
        format: f.format,
        files: files.length,
        records: files.reduce((n, x) => n + x.records, 0),
        bytes: files.reduce((n, x) => n + x.content.length, 0),
        writeSeconds,
        verifySeconds,
        ok: problems.length === 0,
        ...(problems.length ? { problems } : {}),
        heapBeforeMb: heapBefore,
        heapAfterWriteMb: heapAfterWrite,
        heapAfterVerifyMb: heapAfterVerify,
        writeRssPeakMb,
        verifyRssPeakMb: sampler.peakMb(),
      });
    }

    return {
      credits,
      writtenLines,
      cardLoads: input.cardLoads.length,
      totalPence: totalPence.toString(),
      buildInputSeconds: buildSeconds,
      formats: results,
      paymentStage: { files: stageFiles, seconds: runSeconds, ok: runOk, rssPeakMb: runRssPeakMb },
      allOk: runOk && results.every((r) => r.ok === true),
      heapNowMb: heapMb(),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await sampler.stop();
  }
}
