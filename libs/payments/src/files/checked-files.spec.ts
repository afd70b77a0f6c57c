import { sha256Hex } from '@dpb/common';
import { SAMPLE_REFS, SAMPLE_TOTAL_PENCE, sampleRun } from './__fixtures__/sample-run';
import { expectedOf, verifyFilesInThread, writeCheckedRunFiles, writeCheckedRunFilesInThread, type FileCheck } from './checked-files';
import { FinanceFileError } from './errors';
import { writeRunFiles, type RunFileFormats } from './run-files';

const IDOC_PAIN: RunFileFormats = { postingFormat: 'SAP_IDOC', paymentFormat: 'PAIN001' };

describe('writeCheckedRunFilesInThread', () => {
  it('writes the same bytes as writeRunFiles, hashes them and checks each against the input', () => {
    const input = sampleRun();
    const plain = writeRunFiles(input, IDOC_PAIN);
    const checked = writeCheckedRunFilesInThread(input, IDOC_PAIN);
    expect(checked.all.map((f) => f.name)).toEqual(plain.all.map((f) => f.name));
    checked.all.forEach((f, i) => {
      expect(f.content.equals(plain.all[i].content)).toBe(true);
      expect(f.sha256).toBe(sha256Hex(plain.all[i].content));
    });
    expect(checked.cardLoads.map((f) => f.name)).toEqual(plain.cardLoads.map((f) => f.name));
    expect(checked.verdicts).toEqual(checked.all.map((f) => ({ name: f.name, ok: true, problems: [] })));
  });

  it('expects every credit in posting and payment files, and only the provider’s loads in a card-load file', () => {
    const input = sampleRun();
    const files = writeRunFiles(input, IDOC_PAIN);
    expect(expectedOf(input, files.posting!.name)).toEqual({ records: 3, totalPence: SAMPLE_TOTAL_PENCE, refs: SAMPLE_REFS });
    const card = files.cardLoads[0];
    const loads = input.cardLoads.filter((c) => card.name.endsWith(`_CARDLOAD_${c.provider}.csv`));
    expect(loads.length).toBeGreaterThan(0);
    expect(expectedOf(input, card.name)).toEqual({ records: loads.length, totalPence: loads.reduce((t, c) => t + c.amountPence, 0n) });
  });

  it('skips the re-read when asked (bytes whose hashes the caller compares with a checked manifest)', () => {
    expect(writeCheckedRunFilesInThread(sampleRun(), IDOC_PAIN, { verify: false }).verdicts).toEqual([]);
  });
});

describe('writeCheckedRunFiles on a worker thread (offThread)', () => {
  it('gives a worker thread’s files, hashes and verdicts equal to the in-thread ones', async () => {
    for (const formats of [IDOC_PAIN, { postingFormat: 'SAP_CSV', paymentFormat: 'BACS_STD18' } as RunFileFormats]) {
      const input = sampleRun();
      const here = writeCheckedRunFilesInThread(input, formats);
      const off = await writeCheckedRunFiles(input, formats, { offThread: true });
      expect(off.all.map((f) => [f.name, f.sha256, f.records, f.totalPence])).toEqual(here.all.map((f) => [f.name, f.sha256, f.records, f.totalPence]));
      off.all.forEach((f, i) => {
        expect(Buffer.isBuffer(f.content)).toBe(true);
        expect(f.content.equals(here.all[i].content)).toBe(true);
      });
      expect(off.cardLoads.map((f) => f.name)).toEqual(here.cardLoads.map((f) => f.name));
      expect(off.verdicts).toEqual(here.verdicts);
    }
  });

  it('stops the worker when the caller aborts', async () => {
    const stop = new AbortController();
    const pending = writeCheckedRunFiles(sampleRun(), IDOC_PAIN, { offThread: true, signal: stop.signal });
    stop.abort();
    await expect(pending).rejects.toThrow(/worker exited/);
  });

  it('throws the writers’ refusal as the same FinanceFileError', async () => {
    const input = { ...sampleRun(), council: 'not a council' };
    expect(() => writeCheckedRunFilesInThread(input, IDOC_PAIN)).toThrow(FinanceFileError);
    await expect(writeCheckedRunFiles(input, IDOC_PAIN, { offThread: false })).rejects.toThrow(FinanceFileError);
    const e = await writeCheckedRunFiles(input, IDOC_PAIN, { offThread: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FinanceFileError);
    expect((e as FinanceFileError).rule).toBe('INVALID_COUNCIL');
    expect((e as FinanceFileError).message).toBe('INVALID_COUNCIL: council must be 1-10 of A-Z 0-9');
  });
});

describe('verifyFilesInThread', () => {
  const files = writeRunFiles(sampleRun(), IDOC_PAIN);
  const good = { records: 3, totalPence: SAMPLE_TOTAL_PENCE, refs: SAMPLE_REFS };

  it('reports altered bytes and wrong expectations, file by file', () => {
    const altered = Buffer.from(files.posting!.content.toString('utf8').replace('<AMT_DOCCUR>-', '<AMT_DOCCUR>-1'), 'utf8');
    const bad: FileCheck[] = [
      { file: { ...files.posting!, content: altered }, expected: good },
      { file: files.payment!, expected: { records: 2, totalPence: SAMPLE_TOTAL_PENCE - 1n, refs: SAMPLE_REFS } },
      { file: files.payment!, expected: good },
    ];
    const verdicts = verifyFilesInThread(bad);
    expect(verdicts.map((v) => v.ok)).toEqual([false, false, true]);
    expect(verdicts[0].problems.length).toBeGreaterThan(0);
    expect(verdicts[1].problems).toContain('records: file has 3, expected 2');
  });
});
