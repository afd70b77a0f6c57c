/**
 * One bad file never stops the intake (real PostgreSQL, real file:// and sftp:// inboxes, the
 * real Mosaic importer): unusable names are quarantined under a generated name with the original
 * kept JSON-escaped, a stable empty file is quarantined, a reader that keeps crashing or timing
 * out is quarantined after the configured number of reads, and a PostgreSQL connection lost in
 * the middle of a read propagates (the job retries) without counting against the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EntityManager } from 'typeorm';
import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { FileLedger, readAll, type InboundApplier } from '@dpb/persistence';
import { intakeInbox, type IntakeLimits } from '@dpb/pipeline';
import { openEndpoint, parseKnownHosts, quarantineNameFor, type EndpointOptions } from '@dpb/transport';
import { captureLogger, createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'PIS';
let h: Harness;
let extract: Buffer;

const sftpConfigured = ['DPB_SFTP_HOST', 'DPB_SFTP_PORT', 'DPB_SFTP_USER', 'DPB_SFTP_PRIVATE_KEY_FILE', 'DPB_SFTP_KNOWN_HOSTS', 'DPB_SFTP_ROOT'].every(
  (k) => (process.env[k] ?? '') !== '',
);

/** A fresh inbox: a local folder, reached as file:// or over SFTP. */
function inbox(kind: 'file' | 'sftp'): { dir: string; url: string; opts: EndpointOptions } {
  const sub = `pis-${randomBytes(4).toString('hex')}`;
  if (kind === 'file') {
    const dir = path.join(h.root, sub);
    fs.mkdirSync(dir);
    return { dir, url: `file://${dir}`, opts: { stabilityMs: 100 } };
  }
  const env = process.env as Record<string, string>;
  const dir = path.join(env.DPB_SFTP_ROOT, sub);
  fs.mkdirSync(dir, { recursive: true });
  const remote = path.posix.join(env.DPB_SFTP_REMOTE_ROOT || env.DPB_SFTP_ROOT, sub);
  return {
    dir,
    url: `sftp://${env.DPB_SFTP_USER}@${env.DPB_SFTP_HOST}:${env.DPB_SFTP_PORT}${remote.split('/').map(encodeURIComponent).join('/')}`,
    opts: { stabilityMs: 100, privateKey: env.DPB_SFTP_PRIVATE_KEY_FILE, knownHosts: parseKnownHosts(env.DPB_SFTP_KNOWN_HOSTS), connectTimeoutMs: 5000 },
  };
}

async function intake(box: { url: string; opts: EndpointOptions }, applier: InboundApplier, limits?: Partial<IntakeLimits>, log = h.log) {
  const endpoint = await openEndpoint(box.url, box.opts);
  try {
    return await intakeInbox({ ds: h.ds, endpoint, applier, council: CODE, nightDate: '2026-11-23', log, limits });
  } finally {
    await endpoint.close();
  }
}

const report = (dir: string, stored: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'quarantine', `${stored}.error.json`), 'utf8')) as {
    file: string; fileNameProblem?: string; storedAs: string; error: { problems: { rule: string; detail?: string }[] };
  };

const ledgerRow = async (sha256: string) =>
  ((await h.ds.query(`SELECT name, state, read_attempts, error FROM inbound_file WHERE source = 'care' AND sha256 = $1`, [sha256])) as {
    name: string; state: string; read_attempts: number; error: { file?: string; readFailure?: { count: number } } | null;
  }[])[0];

beforeAll(async () => {
  h = await createHarness(CODE);
  extract = await sampleExtractXml(CODE, { dps: 5 });
});
afterAll(() => h.close());

const HOSTILE_NAMES: [string, string][] = [
  ['new\nline.xml', 'CONTROL_CHARACTER'],
  ['bell\u0007\u001b[31m.xml', 'CONTROL_CHARACTER'],
  ['parent..xml', 'DOT_DOT'],
  ['back\\slash.xml', 'SEPARATOR'],
  [`${'L'.repeat(240)}.xml`, 'TOO_LONG'],
  ['rtl\u202eLMX.exe', 'UNUSUAL_CHARACTER'],
];

const KINDS: ['file' | 'sftp'][] = sftpConfigured ? [['file'], ['sftp']] : [['file']];
describe.each(KINDS)('intake over %s://', (kind) => {
  it('quarantines files with unusable names under generated names, keeps the original JSON-escaped, logs no name, and goes on', async () => {
    const box = inbox(kind);
    HOSTILE_NAMES.forEach(([name], i) => fs.writeFileSync(path.join(box.dir, name), `${extract.toString('utf8')}<!-- ${kind} ${i} -->`));
    fs.writeFileSync(path.join(box.dir, 'good.xml'), `${extract.toString('utf8')}<!-- ${kind} good -->`);
    const { logger, lines } = captureLogger();
    const s = await intake(box, createMosaicApplier(), {}, logger);
    // The good file's extract may be applied only once in this council: the second kind finds it a duplicate-by-id.
    expect(s.quarantined + s.applied).toBe(HOSTILE_NAMES.length + 1);
    expect(s.files.filter((f) => f.rule === 'UNSAFE_FILE_NAME')).toHaveLength(HOSTILE_NAMES.length);
    for (const [name, problem] of HOSTILE_NAMES) {
      const stored = quarantineNameFor(name);
      const r = report(box.dir, stored);
      expect(r).toMatchObject({ file: name, fileNameProblem: problem, storedAs: `quarantine/${stored}` });
      expect(r.error.problems[0]).toMatchObject({ rule: 'UNSAFE_FILE_NAME', detail: problem });
      const row = await ledgerRow(s.files.find((f) => f.name === stored)!.sha256);
      expect(row).toMatchObject({ name: stored, state: 'QUARANTINED' });
      expect(row.error?.file).toBe(name);
    }
    expect(fs.readdirSync(box.dir).filter((n) => n !== 'quarantine' && n !== 'archive')).toEqual([]);
    const logged = lines.join('\n');
    for (const [name] of HOSTILE_NAMES) expect(logged).not.toContain(JSON.stringify(name).slice(1, -1));
  }, 60_000);

  it('quarantines files posing as the archive and quarantine folders, and reports a name that is not UTF-8', async () => {
    const box = inbox(kind);
    fs.writeFileSync(path.join(box.dir, 'quarantine'), 'not a folder');
    fs.writeFileSync(path.join(box.dir, 'archive'), 'not a folder either');
    fs.writeFileSync(Buffer.concat([Buffer.from(`${box.dir}/latin1-`), Buffer.from([0xe9]), Buffer.from('.xml')]), 'caf\u00e9');
    // Sorted before "archive": its move to the archive must not trip over the file.
    fs.writeFileSync(path.join(box.dir, 'Good.xml'), await sampleExtractXml(CODE, { dps: 5, date: kind === 'file' ? '2026-11-26' : '2026-11-27' }));
    const s = await intake(box, createMosaicApplier());
    expect(s.files.find((f) => f.name === 'Good.xml')?.outcome).toBe('APPLIED');
    expect(s.files.filter((f) => f.rule === 'NOT_UTF8_NAME')).toHaveLength(1);
    expect(s.warnings.some((w) => w.startsWith('ALERT:') && w.includes('not UTF-8'))).toBe(true);
    for (const reserved of ['archive', 'quarantine']) {
      expect(fs.statSync(path.join(box.dir, reserved)).isDirectory()).toBe(true);
      expect(report(box.dir, quarantineNameFor(reserved))).toMatchObject({ file: reserved, fileNameProblem: 'RESERVED' });
    }
  }, 30_000);

  it('quarantines a stable empty file (EMPTY_FILE) and leaves a growing one alone', async () => {
    const box = inbox(kind);
    fs.writeFileSync(path.join(box.dir, 'empty.xml'), '');
    const s = await intake(box, createMosaicApplier());
    expect(s.files).toEqual([expect.objectContaining({ name: 'empty.xml', outcome: 'QUARANTINED', rule: 'EMPTY_FILE' })]);
    expect(report(box.dir, 'empty.xml').error.problems[0].rule).toBe('EMPTY_FILE');
  }, 30_000);
});

describe('a flood of files', () => {
  it('waits once for the whole inbox to be stable, not once per file', async () => {
    const box = inbox('file');
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(box.dir, `junk-${i}.xml`), '');
    const started = Date.now();
    const s = await intake({ ...box, opts: { stabilityMs: 500 } }, createMosaicApplier());
    expect(s.files.filter((f) => f.rule === 'EMPTY_FILE')).toHaveLength(40);
    expect(Date.now() - started).toBeLessThan(10_000); // one wait per file would be 20 s
  }, 30_000);
});

describe('readers that crash, hang, or lose the database', () => {
  it('quarantines a file whose reader keeps crashing after the configured reads (READER_FAILED), counted in the ledger', async () => {
    const box = inbox('file');
    fs.writeFileSync(path.join(box.dir, 'crash.xml'), 'bytes that crash the reader');
    let reads = 0;
    const crashing: InboundApplier = {
      source: 'care',
      async apply(_m, input) {
        reads++;
        await readAll(await input.open());
        throw new TypeError('Cannot read properties of undefined (reading "x")');
      },
    };
    const s = await intake(box, crashing, { readerAttempts: 2 });
    expect(reads).toBe(2);
    expect(s.files).toEqual([expect.objectContaining({ name: 'crash.xml', outcome: 'QUARANTINED', rule: 'READER_FAILED' })]);
    expect(report(box.dir, 'crash.xml').error.problems[0].detail).toMatch(/^TypeError; 2 read\(s\) failed$/);
    expect(await ledgerRow(s.files[0].sha256)).toMatchObject({ state: 'QUARANTINED', read_attempts: 3 });
  }, 30_000);

  it('quarantines, without reading it again, a file whose reads keep taking the worker down', async () => {
    const box = inbox('file');
    const bytes = 'bytes whose read kills the process';
    fs.writeFileSync(path.join(box.dir, 'killer.xml'), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Three reads were counted and never came back (the worker was killed each time).
    for (let i = 0; i < 3; i++) await new FileLedger().countReadAttempt(h.ds.manager, { source: 'care', council: CODE, name: 'killer.xml', size: bytes.length, sha256 });
    let reads = 0;
    const never: InboundApplier = {
      source: 'care',
      async apply() {
        reads++;
        throw new Error('must not be read again');
      },
    };
    const s = await intake(box, never, { readerAttempts: 2 });
    expect(reads).toBe(0);
    expect(s.files).toEqual([expect.objectContaining({ name: 'killer.xml', outcome: 'QUARANTINED', rule: 'READER_FAILED' })]);
    expect(report(box.dir, 'killer.xml').error.problems[0].detail).toMatch(/the worker stopped during 3 read\(s\)/);
  }, 30_000);

  it('aborts a reader that outlives the per-file time-out, and quarantines the file (READER_TIMEOUT)', async () => {
    const box = inbox('file');
    fs.writeFileSync(path.join(box.dir, 'slow.xml'), 'bytes that hang the reader');
    const started = Date.now();
    const hanging: InboundApplier = {
      source: 'care',
      async apply(_m, input) {
        const stream = await input.open();
        // A reader stuck on a stream that never ends: the time-out destroys the stream.
        stream.pause();
        await new Promise((_, reject) => stream.on('close', () => reject(input.signal?.reason ?? new Error('closed'))));
        throw new Error('unreachable');
      },
    };
    const s = await intake(box, hanging, { readerAttempts: 2, readerTimeoutMs: 300 });
    expect(s.files).toEqual([expect.objectContaining({ name: 'slow.xml', outcome: 'QUARANTINED', rule: 'READER_TIMEOUT' })]);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('ends the database session of a reader deaf to the time-out: nothing it writes afterwards is kept', async () => {
    const box = inbox('file');
    fs.writeFileSync(path.join(box.dir, 'deaf.xml'), 'bytes of a reader that ignores its abort');
    const orphanSha = randomBytes(32).toString('hex');
    let lateWrite: 'written' | 'refused' | 'pending' = 'pending';
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const deaf: InboundApplier = {
      source: 'care',
      async apply(m: EntityManager) {
        await new Promise((r) => setTimeout(r, 6_000)); // past the time-out and the unwind grace
        try {
          await m.query(`INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, 'late-write', 0, $2, 'RETRY')`, [CODE, orphanSha]);
          lateWrite = 'written';
        } catch {
          lateWrite = 'refused';
        }
        done();
        throw new Error('unreachable');
      },
    };
    const s = await intake(box, deaf, { readerAttempts: 1, readerTimeoutMs: 200 });
    expect(s.files).toEqual([expect.objectContaining({ name: 'deaf.xml', outcome: 'QUARANTINED', rule: 'READER_TIMEOUT' })]);
    await finished;
    expect(lateWrite).toBe('refused');
    const [{ n }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM inbound_file WHERE sha256 = $1`, [orphanSha]);
    expect(n).toBe(0);
  }, 30_000);

  it('lets a PostgreSQL connection lost mid-read propagate, without counting the read against the file', async () => {
    const box = inbox('file');
    fs.writeFileSync(path.join(box.dir, 'fine.xml'), await sampleExtractXml(CODE, { dps: 5, date: '2026-11-30' }));
    const killer: InboundApplier = {
      source: 'care',
      async apply(m: EntityManager) {
        await m.query('SELECT pg_terminate_backend(pg_backend_pid())');
        throw new Error('unreachable');
      },
    };
    await expect(intake(box, killer, { readerAttempts: 1 })).rejects.toThrow();
    expect(fs.existsSync(path.join(box.dir, 'fine.xml'))).toBe(true);
    const [{ sha256 }] = (await h.ds.query(`SELECT sha256 FROM inbound_file WHERE source = 'care' AND name = 'fine.xml'`)) as { sha256: string }[];
    expect(await ledgerRow(sha256)).toMatchObject({ state: 'RETRY', read_attempts: 0 });
    // With the database back, the same file is read and applied normally (it was never quarantined).
    const s = await intake(box, createMosaicApplier(), { readerAttempts: 1 });
    expect(s.files[0]).toMatchObject({ name: 'fine.xml' });
    expect(s.files[0].outcome).not.toBe('QUARANTINED');
  }, 30_000);
});
