import { SAMPLE_REFS, sampleRun } from './__fixtures__/sample-run';
import { writeRunFiles } from './run-files';
import { verifyFilesInThread, verifyFilesOffThread, type FileCheck } from './verify-off-thread';

describe('verifyFilesOffThread', () => {
  const files = writeRunFiles(sampleRun(), { postingFormat: 'SAP_IDOC', paymentFormat: 'PAIN001' });
  const good: FileCheck[] = [
    { file: files.posting!, expected: { records: 3, totalPence: 132572n, refs: SAMPLE_REFS } },
    { file: files.payment!, expected: { records: 3, totalPence: 132572n, refs: SAMPLE_REFS } },
    { file: files.cardLoads[0], expected: { records: 1, totalPence: 26000n } },
  ];

  it('gives a worker thread’s verdicts equal to the in-thread check, and leaves the caller’s bytes alone', async () => {
    const before = files.posting!.content.toString('base64');
    const off = await verifyFilesOffThread(good);
    expect(off).toEqual(verifyFilesInThread(good));
    expect(off.map((v) => [v.name, v.ok])).toEqual(good.map((c) => [c.file.name, true]));
    expect(files.posting!.content.toString('base64')).toBe(before);
  });

  it('reports altered bytes and wrong expectations from the worker thread, file by file', async () => {
    const altered = Buffer.from(files.posting!.content.toString('utf8').replace('<AMT_DOCCUR>-', '<AMT_DOCCUR>-1'), 'utf8');
    const bad: FileCheck[] = [
      { file: { ...files.posting!, content: altered }, expected: good[0].expected },
      { file: files.payment!, expected: { records: 2, totalPence: 132571n, refs: SAMPLE_REFS } },
    ];
    const off = await verifyFilesOffThread(bad);
    expect(off).toEqual(verifyFilesInThread(bad));
    expect(off.map((v) => v.ok)).toEqual([false, false]);
    expect(off[1].problems).toContain('records: file has 3, expected 2');
    expect(off[0].problems.length).toBeGreaterThan(0);
  });
});
