/**
 * Endpoint semantics over a REAL OpenSSH SFTP server (started by the integration global set-up,
 * or by hand with the same variables): DPB_SFTP_HOST, DPB_SFTP_PORT, DPB_SFTP_USER,
 * DPB_SFTP_PRIVATE_KEY_FILE, DPB_SFTP_KNOWN_HOSTS, DPB_SFTP_ROOT (local path of the SFTP area).
 * The server is assumed not to chroot (remote path = local path) unless DPB_SFTP_REMOTE_ROOT says
 * where DPB_SFTP_ROOT appears remotely.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Endpoint, EndpointOptions } from '@dpb/transport/endpoint';
import { DeliveryConflictError, TransportError } from '@dpb/transport/errors';
import { parseKnownHosts } from '@dpb/transport/known-hosts';
import { openEndpoint, withEndpoint } from '@dpb/transport/open-endpoint';

const env = process.env;
const configured = [
  'DPB_SFTP_HOST',
  'DPB_SFTP_PORT',
  'DPB_SFTP_USER',
  'DPB_SFTP_PRIVATE_KEY_FILE',
  'DPB_SFTP_KNOWN_HOSTS',
  'DPB_SFTP_ROOT',
].every((k) => (env[k] ?? '') !== '');
const d = configured ? describe : describe.skip;
if (!configured) {
  console.warn('sftp.int-spec: DPB_SFTP_* not set (no SFTP server from the global set-up); skipping');
}

const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

d('SFTP endpoint against OpenSSH', () => {
  const host = env.DPB_SFTP_HOST as string;
  const port = Number(env.DPB_SFTP_PORT);
  const user = env.DPB_SFTP_USER as string;
  const localRoot = env.DPB_SFTP_ROOT as string;
  const remoteRoot = env.DPB_SFTP_REMOTE_ROOT || localRoot;
  const knownHosts = parseKnownHosts(env.DPB_SFTP_KNOWN_HOSTS as string);
  const baseOpts: EndpointOptions = {
    privateKey: env.DPB_SFTP_PRIVATE_KEY_FILE,
    knownHosts,
    connectTimeoutMs: 5000,
    operationTimeoutMs: 5000,
    endTimeoutMs: 1000,
    stabilityMs: 0,
  };

  let sub: string;
  let local: string;
  let url: string;
  let ep: Endpoint;

  beforeEach(async () => {
    sub = 't-' + randomBytes(4).toString('hex');
    local = path.join(localRoot, sub);
    await fsp.mkdir(local, { recursive: true });
    url = `sftp://${user}@${host}:${port}${encodePath(path.posix.join(remoteRoot, sub))}`;
    ep = await openEndpoint(url, baseOpts);
  });
  afterEach(async () => {
    await ep?.close();
    await fsp.rm(local, { recursive: true, force: true });
  });

  const put = async (rel: string, data: string | Buffer) => {
    await fsp.mkdir(path.dirname(path.join(local, rel)), { recursive: true });
    await fsp.writeFile(path.join(local, rel), data);
  };
  const ls = async (rel = '.') => (await fsp.readdir(path.join(local, rel))).sort();
  const read = (rel: string) => fsp.readFile(path.join(local, rel), 'utf8');

  it('lists candidates, detects completeness, reads, hashes and archives', async () => {
    await put('camt.xml', '<Document/>');
    await put('camt.xml.done', '');
    await put('card.csv', 'a,b\n');
    await put('card.csv.part', 'x');
    await put('.uploading', 'x');
    await put('quarantine/old.xml', 'x');

    const c = await ep.listCandidates();
    expect(c.map((f) => [f.name, f.size, f.hasDoneMarker, f.tooLarge])).toEqual([
      ['camt.xml', 11, true, false],
      ['card.csv', 4, false, false],
    ]);
    expect(await ep.isComplete('camt.xml')).toBe(true);

    // card.csv is still being written between two polls
    const before = await ep.stat('card.csv');
    await fsp.appendFile(path.join(local, 'card.csv'), '1,2\n');
    expect(await ep.isComplete('card.csv', before)).toBe(false);
    expect(await ep.isComplete('card.csv', await ep.stat('card.csv'))).toBe(true);

    expect((await ep.readFile('card.csv')).toString()).toBe('a,b\n1,2\n');
    const chunks: Buffer[] = [];
    for await (const ch of await ep.openReadStream('camt.xml')) chunks.push(ch as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('<Document/>');
    expect(await ep.sha256('camt.xml')).toBe(sha('<Document/>'));

    expect(await ep.archive('camt.xml', '2026-11-20')).toEqual({
      storedAs: 'archive/2026/11/20/camt.xml',
      duplicate: false,
    });
    await put('camt.xml', '<Document>2</Document>');
    const second = await ep.archive('camt.xml', '2026-11-20');
    expect(second.storedAs).toBe(`archive/2026/11/20/camt.xml.${sha('<Document>2</Document>').slice(0, 8)}`);
    expect(await ls()).toEqual(['archive', 'card.csv', 'card.csv.part', '.uploading', 'quarantine'].sort());
    expect(await ls('archive/2026/11/20')).toEqual(['camt.xml', path.basename(second.storedAs)].sort());
    expect(await read('archive/2026/11/20/camt.xml')).toBe('<Document/>');
  });

  it('refuses to read a file above maxFileBytes', async () => {
    await put('big.bai', 'x'.repeat(100));
    const small = await openEndpoint(url, { ...baseOpts, maxFileBytes: 99 });
    try {
      expect((await small.listCandidates())[0]).toMatchObject({ name: 'big.bai', tooLarge: true });
      await expect(small.readFile('big.bai')).rejects.toMatchObject({ code: 'TOO_LARGE' });
    } finally {
      await small.close();
    }
  });

  it('quarantines with an error report, keeps duplicates once, and releases', async () => {
    await put('bad.mt940', ':20:X');
    await put('bad.mt940.done', '');
    const report = { rule: 'MT940_BALANCE', recordIds: ['61/3'], fields: ['amount'] };
    expect(await ep.quarantine('bad.mt940', report)).toEqual({
      storedAs: 'quarantine/bad.mt940',
      duplicate: false,
    });
    expect(await ls()).toEqual(['quarantine']);
    expect(JSON.parse(await read('quarantine/bad.mt940.error.json'))).toEqual({
      file: 'bad.mt940',
      storedAs: 'quarantine/bad.mt940',
      sizeBytes: 5,
      error: report,
    });
    await put('bad.mt940', ':20:X');
    expect(await ep.quarantine('bad.mt940', { rule: 'AGAIN' })).toEqual({
      storedAs: 'quarantine/bad.mt940',
      duplicate: true,
    });
    expect(await ls('quarantine')).toEqual(['bad.mt940', 'bad.mt940.error.json']);

    expect(await ep.release('bad.mt940')).toEqual({ name: 'bad.mt940' });
    expect(await ls()).toEqual(['bad.mt940', 'quarantine']);
    expect(await ls('quarantine')).toEqual([]);
  });

  it('delivers atomically without clobbering', async () => {
    const content = Buffer.from('H,20261120\nD,000001250\nT,1,1250\n');
    expect(
      await ep.deliver('pay.csv', content, { verify: (b) => expect(b.equals(content)).toBe(true) }),
    ).toEqual({
      status: 'DELIVERED',
      sha256: sha(content),
    });
    expect(await ls()).toEqual(['pay.csv']);
    expect(await ep.deliver('pay.csv', content)).toEqual({
      status: 'ALREADY_DELIVERED',
      sha256: sha(content),
    });
    await expect(ep.deliver('pay.csv', Buffer.from('other'))).rejects.toBeInstanceOf(DeliveryConflictError);
    expect(await read('pay.csv')).toBe(content.toString());

    // a competing writer creates the final name while ours sits under its temp name
    const err = await ep
      .deliver('ar.csv', Buffer.from('ours'), {
        verify: () => writeFileSync(path.join(local, 'ar.csv'), 'theirs'),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryConflictError);
    expect(await read('ar.csv')).toBe('theirs');
    expect(await ls()).toEqual(['ar.csv', 'pay.csv']);
  });

  it('withEndpoint opens a new connection per job and always closes it', async () => {
    await put('a.xml', 'A');
    const names = await withEndpoint(url, baseOpts, async (e) =>
      (await e.listCandidates()).map((f) => f.name),
    );
    expect(names).toEqual(['a.xml']);
    await expect(
      withEndpoint(url, baseOpts, async () => {
        throw new Error('job failed');
      }),
    ).rejects.toThrow('job failed');
  });

  it('refuses a host whose key differs from the pin', async () => {
    // A valid fingerprint of some other key
    const wrong =
      'SHA256:' + createHash('sha256').update('not the host key').digest('base64').replace(/=+$/, '');
    const err = await openEndpoint(url, {
      ...baseOpts,
      knownHosts: new Map([[`${host}:${port}`, wrong]]),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'HOST_KEY_REJECTED' });
    expect((err as Error).message).toMatch(/does not match/);
  });

  it('refuses an unknown host', async () => {
    const err = await openEndpoint(url, { ...baseOpts, knownHosts: new Map() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HOST_KEY_REJECTED' });
    expect((err as Error).message).toMatch(/unknown host/);
  });

  it('reports a wrong private key as CONNECT_FAILED', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const err = await openEndpoint(url, { ...baseOpts, privateKey: pem }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONNECT_FAILED' });
  });

  describe('through a proxy that freezes (a server that stops answering)', () => {
    let server: net.Server;
    let proxyPort: number;
    let frozen = false;
    const sockets: net.Socket[] = [];

    beforeAll(async () => {
      server = net.createServer((client) => {
        const upstream = net.connect(port, host);
        sockets.push(client, upstream);
        client.on('data', (b) => !frozen && upstream.write(b));
        upstream.on('data', (b) => !frozen && client.write(b));
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('end', () => !frozen && upstream.end());
        upstream.on('end', () => !frozen && client.end());
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      proxyPort = (server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    });
    beforeEach(() => {
      frozen = false;
    });

    const proxied = (): [string, EndpointOptions] => {
      const fp = knownHosts.get(`${host.toLowerCase()}:${port}`) as string;
      return [
        `sftp://${user}@127.0.0.1:${proxyPort}${encodePath(path.posix.join(remoteRoot, sub))}`,
        {
          ...baseOpts,
          knownHosts: new Map([[`127.0.0.1:${proxyPort}`, fp]]),
          operationTimeoutMs: 500,
          endTimeoutMs: 300,
        },
      ];
    };

    it('bounds end() by endTimeoutMs', async () => {
      const [u, o] = proxied();
      const e = await openEndpoint(u, o);
      await put('x.xml', 'x');
      expect((await e.listCandidates()).map((f) => f.name)).toEqual(['x.xml']);
      frozen = true;
      const t0 = Date.now();
      await e.close();
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    it('bounds each operation by operationTimeoutMs', async () => {
      const [u, o] = proxied();
      const e = await openEndpoint(u, o);
      try {
        frozen = true;
        const t0 = Date.now();
        await expect(e.listCandidates()).rejects.toMatchObject({ code: 'TIMEOUT' });
        expect(Date.now() - t0).toBeLessThan(2000);
      } finally {
        await e.close();
      }
    });
  });
});
