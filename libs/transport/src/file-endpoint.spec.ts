import { createHash } from 'node:crypto';
import { promises as fsp, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverEndpoint } from './driver-endpoint';
import type { Endpoint } from './endpoint';
import { DeliveryConflictError, TransportError } from './errors';
import { LocalFileDriver } from './file-driver';
import { openEndpoint, withEndpoint } from './open-endpoint';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let dir: string;
let url: string;
let ep: Endpoint;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dpb-transport-'));
  url = 'file://' + dir;
  ep = await openEndpoint(url, { stabilityMs: 0 });
});
afterEach(async () => {
  await ep.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const put = (rel: string, data: string | Buffer) =>
  fsp
    .mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
    .then(() => fsp.writeFile(path.join(dir, rel), data));
const ls = async (rel = '.') => (await fsp.readdir(path.join(dir, rel))).sort();
const read = (rel: string) => fsp.readFile(path.join(dir, rel), 'utf8');

describe('openEndpoint (file://)', () => {
  it('refuses a root folder that does not exist', async () => {
    await expect(openEndpoint(url + '/missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
  it('withEndpoint returns the work result and closes even when the work throws', async () => {
    await expect(withEndpoint(url, {}, async (e) => e.url)).resolves.toBe(url);
    await expect(
      withEndpoint(url, {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('listCandidates', () => {
  it('lists only complete-looking regular files in the root, with size, marker and size limit', async () => {
    await put('b.xml', '12345');
    await put('a.csv', 'x');
    await put('a.csv.done', '');
    await put('.hidden', 'x');
    await put('up.xml.tmp', 'x');
    await put('up.xml.part', 'x');
    await put('up.xml.filepart', 'x');
    await put('archive/2026/11/20/old.xml', 'x');
    await put('quarantine/bad.xml', 'x');
    await fsp.mkdir(path.join(dir, 'sub'));
    const small = await openEndpoint(url, { maxFileBytes: 4 });
    try {
      const c = await small.listCandidates();
      expect(
        c.map(({ name, size, hasDoneMarker, tooLarge }) => ({ name, size, hasDoneMarker, tooLarge })),
      ).toEqual([
        { name: 'a.csv', size: 1, hasDoneMarker: true, tooLarge: false },
        { name: 'b.xml', size: 5, hasDoneMarker: false, tooLarge: true },
      ]);
      const st = await fsp.stat(path.join(dir, 'b.xml'));
      expect(c[1]!.mtimeMs).toBe(Math.trunc(st.mtimeMs));
    } finally {
      await small.close();
    }
  });
});

describe('isComplete', () => {
  it('does not take a file that grew since the previous observation, takes it once stable', async () => {
    await put('grow.xml', '<a>');
    const first = await ep.stat('grow.xml');
    await fsp.appendFile(path.join(dir, 'grow.xml'), '</a>');
    expect(await ep.isComplete('grow.xml', first)).toBe(false);
    const second = await ep.stat('grow.xml');
    expect(second!.size).toBe(7);
    expect(await ep.isComplete('grow.xml', second)).toBe(true);
  });

  it('without a previous observation and stabilityMs 0 there is no evidence: not complete', async () => {
    await put('x.xml', 'data');
    expect(await ep.checkCompleteness('x.xml')).toMatchObject({ complete: false, reason: 'FIRST_SEEN' });
  });

  it('takes a file at once when the sender wrote its .done marker', async () => {
    await put('m.xml', 'data');
    await put('m.xml.done', '');
    expect(await ep.checkCompleteness('m.xml')).toMatchObject({ complete: true, reason: 'DONE_MARKER' });
  });

  it('with stabilityMs > 0 stats twice and notices growth in between', async () => {
    const slow = await openEndpoint(url, { stabilityMs: 150 });
    try {
      await put('g.xml', 'a');
      const growing = slow.isComplete('g.xml');
      await new Promise((r) => setTimeout(r, 30));
      await fsp.appendFile(path.join(dir, 'g.xml'), 'bcd');
      expect(await growing).toBe(false);
      expect(await slow.isComplete('g.xml')).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('reports NOT_FOUND for a missing file', async () => {
    await expect(ep.isComplete('nope.xml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('reading', () => {
  it('reads, streams and hashes a file', async () => {
    await put('s.csv', 'a,b\n1,2\n');
    expect((await ep.readFile('s.csv')).toString()).toBe('a,b\n1,2\n');
    const chunks: Buffer[] = [];
    for await (const c of await ep.openReadStream('s.csv')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('a,b\n1,2\n');
    expect(await ep.sha256('s.csv')).toBe(sha('a,b\n1,2\n'));
  });

  it('refuses to read a file above maxFileBytes (TOO_LARGE), naming the file but not its content', async () => {
    await put('big.xml', 'SECRET-CONTENT');
    const small = await openEndpoint(url, { maxFileBytes: 10 });
    try {
      const err = await small.readFile('big.xml').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'TOO_LARGE' });
      expect((err as Error).message).toContain('big.xml');
      expect((err as Error).message).not.toContain('SECRET');
      await expect(small.openReadStream('big.xml')).rejects.toMatchObject({ code: 'TOO_LARGE' });
    } finally {
      await small.close();
    }
  });

  it('refuses names with path separators', async () => {
    await expect(ep.readFile('../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(ep.readFile('archive/x')).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });
});

describe('archive', () => {
  it('moves to archive/YYYY/MM/DD/<name>, creating folders, and removes the .done marker', async () => {
    await put('bank.xml', 'one');
    await put('bank.xml.done', '');
    expect(await ep.archive('bank.xml', '2026-11-20')).toEqual({
      storedAs: 'archive/2026/11/20/bank.xml',
      duplicate: false,
    });
    expect(await ls()).toEqual(['archive']);
    expect(await read('archive/2026/11/20/bank.xml')).toBe('one');
  });

  it('keeps a different file already archived under that name and stores the new one as <name>.<sha8>', async () => {
    await put('archive/2026/11/20/bank.xml', 'first');
    await put('bank.xml', 'second');
    const r = await ep.archive('bank.xml', '2026-11-20');
    const expected = `archive/2026/11/20/bank.xml.${sha('second').slice(0, 8)}`;
    expect(r).toEqual({ storedAs: expected, duplicate: false });
    expect(await read('archive/2026/11/20/bank.xml')).toBe('first');
    expect(await read(expected)).toBe('second');
  });

  it('treats the same bytes already archived as a duplicate: source removed, archive untouched', async () => {
    await put('archive/2026/11/20/bank.xml', 'same');
    await put('bank.xml', 'same');
    expect(await ep.archive('bank.xml', '2026-11-20')).toEqual({
      storedAs: 'archive/2026/11/20/bank.xml',
      duplicate: true,
    });
    expect(await ls()).toEqual(['archive']);
    expect(await ls('archive/2026/11/20')).toEqual(['bank.xml']);
  });

  it('refuses an invalid date before moving anything', async () => {
    await put('bank.xml', 'x');
    await expect(ep.archive('bank.xml', '2026-02-30')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(await ls()).toEqual(['bank.xml']);
  });
});

describe('quarantine and release', () => {
  const report = { rule: 'BAI2_TRAILER_TOTAL', recordIds: ['88'], fields: ['controlTotal'] };

  it('moves to quarantine/<name>, writes <name>.error.json and removes the marker', async () => {
    await put('bad.bai', 'broken');
    await put('bad.bai.done', '');
    expect(await ep.quarantine('bad.bai', report)).toEqual({
      storedAs: 'quarantine/bad.bai',
      duplicate: false,
    });
    expect(await ls()).toEqual(['quarantine']);
    expect(await ls('quarantine')).toEqual(['bad.bai', 'bad.bai.error.json']);
    expect(JSON.parse(await read('quarantine/bad.bai.error.json'))).toEqual({
      file: 'bad.bai',
      storedAs: 'quarantine/bad.bai',
      sizeBytes: 6,
      error: report,
    });
  });

  it('a different file of the same name is stored as <name>.<sha8> with its own report', async () => {
    await put('bad.bai', 'v1');
    await ep.quarantine('bad.bai', report);
    await put('bad.bai', 'v2');
    const r = await ep.quarantine('bad.bai', { rule: 'OTHER' });
    const alt = `bad.bai.${sha('v2').slice(0, 8)}`;
    expect(r).toEqual({ storedAs: `quarantine/${alt}`, duplicate: false });
    expect(JSON.parse(await read(`quarantine/${alt}.error.json`))).toMatchObject({
      file: 'bad.bai',
      error: { rule: 'OTHER' },
    });
    expect(JSON.parse(await read('quarantine/bad.bai.error.json'))).toMatchObject({ error: report });
  });

  it('the same bytes dropped again stay quarantined once, keeping the first report', async () => {
    await put('bad.bai', 'v1');
    await ep.quarantine('bad.bai', report);
    await put('bad.bai', 'v1');
    expect(await ep.quarantine('bad.bai', { rule: 'DUPLICATE' })).toEqual({
      storedAs: 'quarantine/bad.bai',
      duplicate: true,
    });
    expect(await ls()).toEqual(['quarantine']);
    expect(JSON.parse(await read('quarantine/bad.bai.error.json'))).toMatchObject({ error: report });
  });

  it('release moves the file back under its original name and removes the report', async () => {
    await put('bad.bai', 'v1');
    await ep.quarantine('bad.bai', report);
    await put('bad.bai', 'v2');
    const { storedAs } = await ep.quarantine('bad.bai', report);
    await fsp.unlink(path.join(dir, 'quarantine/bad.bai'));
    await fsp.unlink(path.join(dir, 'quarantine/bad.bai.error.json'));
    expect(await ep.release(path.basename(storedAs))).toEqual({ name: 'bad.bai' });
    expect(await read('bad.bai')).toBe('v2');
    expect(await ls('quarantine')).toEqual([]);
  });

  it('release refuses to overwrite a different inbox file (CONFLICT) and changes nothing', async () => {
    await put('bad.bai', 'v1');
    await ep.quarantine('bad.bai', report);
    await put('bad.bai', 'new');
    await expect(ep.release('bad.bai')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await read('bad.bai')).toBe('new');
    expect(await ls('quarantine')).toEqual(['bad.bai', 'bad.bai.error.json']);
  });

  it('release of an unknown file is NOT_FOUND', async () => {
    await expect(ep.release('nothing.xml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a hostile name is listed with its problem, quarantined under a generated name (original JSON-escaped in the report), released under that name', async () => {
    const hostile = 'Jane Smith\n\u001b[2J..statement.xml';
    await put(hostile, 'data');
    await put(`${hostile}.done`, '');
    const [c] = await ep.listCandidates();
    expect(c).toMatchObject({ name: hostile, nameProblem: 'CONTROL_CHARACTER', hasDoneMarker: true });
    expect(await ep.isComplete(hostile)).toBe(true);
    const moved = await ep.quarantine(hostile, { problems: [{ rule: 'UNSAFE_FILE_NAME' }] });
    expect(moved.storedAs).toMatch(/^quarantine\/unsafe-name-[0-9a-f]{16}$/);
    const raw = await read(`${moved.storedAs}.error.json`);
    expect(raw).toContain(JSON.stringify(hostile));
    expect(raw).not.toContain('\u001b');
    expect(JSON.parse(raw)).toMatchObject({ file: hostile, fileNameProblem: 'CONTROL_CHARACTER' });
    expect(await ls()).toEqual(['quarantine']);
    const stored = moved.storedAs.slice('quarantine/'.length);
    expect(await ep.release(stored)).toEqual({ name: stored });
    expect(await ls()).toEqual(['quarantine', stored]);
  });

  it('never archives a hostile name', async () => {
    await put('a..b.xml', 'x');
    await expect(ep.archive('a..b.xml', '2026-11-20')).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });
});

describe('deliver', () => {
  it('delivers under the final name with no temp file left', async () => {
    const content = Buffer.from('H,PAYRUN\nD,1250\nT,1\n');
    expect(await ep.deliver('pay.csv', content)).toEqual({ status: 'DELIVERED', sha256: sha(content) });
    expect(await ls()).toEqual(['pay.csv']);
    expect(await read('pay.csv')).toBe(content.toString());
  });

  it('removes the temporary copies a cut-off delivery of the same name left behind, and no other file', async () => {
    writeFileSync(path.join(dir, '.pay.csv.0a1b2c3d4e5f.tmp'), 'H,PAY');
    writeFileSync(path.join(dir, '.other.csv.0a1b2c3d4e5f.tmp'), 'H,OTH');
    await ep.deliver('pay.csv', Buffer.from('H,PAYRUN\n'));
    expect(await ls()).toEqual(['.other.csv.0a1b2c3d4e5f.tmp', 'pay.csv']);
    writeFileSync(path.join(dir, '.pay.csv.ffeeddccbbaa.tmp'), 'H,PAY');
    expect((await ep.deliver('pay.csv', Buffer.from('H,PAYRUN\n'))).status).toBe('ALREADY_DELIVERED');
    expect(await ls()).toEqual(['.other.csv.0a1b2c3d4e5f.tmp', 'pay.csv']);
  });

  it('same name and same content again: ALREADY_DELIVERED, file untouched', async () => {
    const content = Buffer.from('same');
    await ep.deliver('pay.csv', content);
    const before = await fsp.stat(path.join(dir, 'pay.csv'));
    expect(await ep.deliver('pay.csv', content)).toEqual({
      status: 'ALREADY_DELIVERED',
      sha256: sha(content),
    });
    expect((await fsp.stat(path.join(dir, 'pay.csv'))).ino).toBe(before.ino);
    expect(await ls()).toEqual(['pay.csv']);
  });

  it('same name, different content: DeliveryConflictError, existing file never overwritten', async () => {
    await ep.deliver('pay.csv', Buffer.from('first'));
    const err = await ep.deliver('pay.csv', Buffer.from('second')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryConflictError);
    expect(err).toMatchObject({
      code: 'CONFLICT',
      existingSha256: sha('first'),
      attemptedSha256: sha('second'),
    });
    expect(await read('pay.csv')).toBe('first');
    expect(await ls()).toEqual(['pay.csv']);
  });

  it('a file appearing under the final name during the write is not clobbered', async () => {
    // verify runs after the temp file is written and read back, just before the rename: another
    // writer creates the final name at exactly that moment.
    const err = await ep
      .deliver('pay.csv', Buffer.from('ours'), {
        verify: () => writeFileSync(path.join(dir, 'pay.csv'), 'theirs', { flag: 'wx' }),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryConflictError);
    expect(await read('pay.csv')).toBe('theirs');
    expect(await ls()).toEqual(['pay.csv']);
  });

  it('the concurrent writer having written the same bytes counts as ALREADY_DELIVERED', async () => {
    const r = await ep.deliver('pay.csv', Buffer.from('ours'), {
      verify: () => writeFileSync(path.join(dir, 'pay.csv'), 'ours', { flag: 'wx' }),
    });
    expect(r).toEqual({ status: 'ALREADY_DELIVERED', sha256: sha('ours') });
    expect(await ls()).toEqual(['pay.csv']);
  });

  it('a failing verify aborts the delivery and removes the temp file', async () => {
    await expect(
      ep.deliver('pay.csv', Buffer.from('abc'), {
        verify: (b) => {
          expect(b.toString()).toBe('abc');
          throw new Error('control totals differ');
        },
      }),
    ).rejects.toThrow('control totals differ');
    expect(await ls()).toEqual([]);
  });

  it('refuses temp-looking or path names', async () => {
    await expect(ep.deliver('.pay.csv', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(ep.deliver('pay.csv.tmp', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(ep.deliver('sub/pay.csv', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });

  it('a reader polling the folder never sees a partial final file', async () => {
    // A driver whose writes trickle in 64 KiB pieces (like a slow link) so the reader can interleave.
    class SlowWriteDriver extends LocalFileDriver {
      override async writeNew(p: string, data: Buffer): Promise<void> {
        const h = await fsp.open(p, 'wx');
        try {
          for (let off = 0; off < data.length; off += 65536) {
            await h.write(data, off, Math.min(65536, data.length - off));
            await new Promise((r) => setImmediate(r));
          }
        } finally {
          await h.close();
        }
      }
    }
    const slow = new DriverEndpoint(new SlowWriteDriver(), dir, url, {
      operationTimeoutMs: 10_000,
      maxFileBytes: 1e9,
      stabilityMs: 0,
      minBytes: 1,
      randomToken: () => 'r1',
    });
    const content = Buffer.alloc(4 * 1024 * 1024, 'x');
    content.write('END', content.length - 3);
    let done = false;
    let finalSeenPartial = 0;
    let tempSeenPartial = 0;
    const reader = (async () => {
      while (!done) {
        for (const n of await fsp.readdir(dir)) {
          const size = await fsp.stat(path.join(dir, n)).then(
            (s) => s.size,
            () => -1,
          );
          if (size < 0) continue;
          if (n === 'pay.dat') {
            if (size !== content.length || sha(await fsp.readFile(path.join(dir, n))) !== sha(content))
              finalSeenPartial++;
          } else if (n === '.pay.dat.r1.tmp' && size < content.length) tempSeenPartial++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const result = await slow.deliver('pay.dat', content);
    done = true;
    await reader;
    expect(result.status).toBe('DELIVERED');
    expect(tempSeenPartial).toBeGreaterThan(0); // the reader did run while the file was half written
    expect(finalSeenPartial).toBe(0);
    expect(await ls()).toEqual(['pay.dat']);
  });
});
