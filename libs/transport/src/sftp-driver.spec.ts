import { SftpDriver, type SftpClientLike } from './sftp-driver';

function fakeClient(overrides: Partial<SftpClientLike>): SftpClientLike & { client: { destroy: jest.Mock } } {
  const notImpl = () => Promise.reject(new Error('not used'));
  return {
    list: notImpl,
    stat: notImpl,
    get: notImpl,
    createReadStream: () => {
      throw new Error('not used');
    },
    put: notImpl,
    rename: notImpl,
    posixRename: notImpl,
    delete: notImpl,
    mkdir: notImpl,
    end: () => Promise.resolve(true),
    client: { destroy: jest.fn() },
    ...overrides,
  };
}

const enoent = () => Object.assign(new Error('No such file'), { code: 'ENOENT' });

describe('SftpDriver.close', () => {
  it('is bounded by endTimeoutMs when end() hangs, destroys the socket, and does not throw', async () => {
    const c = fakeClient({ end: () => new Promise<boolean>(() => {}) });
    const d = new SftpDriver(c, 100);
    const t0 = process.hrtime.bigint();
    await expect(d.close()).resolves.toBeUndefined();
    const ms = Number((process.hrtime.bigint() - t0) / 1_000_000n);
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(ms).toBeLessThan(1000);
    expect(c.client.destroy).toHaveBeenCalledTimes(1);
  });

  it('ends cleanly without destroying when end() resolves, and only once', async () => {
    const end = jest.fn(() => Promise.resolve(true));
    const c = fakeClient({ end });
    const d = new SftpDriver(c, 100);
    await d.close();
    await d.close();
    expect(end).toHaveBeenCalledTimes(1);
    expect(c.client.destroy).not.toHaveBeenCalled();
  });
});

describe('SftpDriver.renameNoClobber', () => {
  it('reports TARGET_EXISTS when rename fails and the target exists', async () => {
    const c = fakeClient({
      rename: () => Promise.reject(new Error('Failure')),
      stat: (p) =>
        p === '/in/x'
          ? Promise.resolve({ size: 1, modifyTime: 0, isFile: true, isDirectory: false })
          : Promise.reject(enoent()),
    });
    await expect(new SftpDriver(c, 100).renameNoClobber('/in/.x.tmp', '/in/x')).resolves.toBe(
      'TARGET_EXISTS',
    );
  });

  it('rethrows the rename error when the target does not exist', async () => {
    const c = fakeClient({
      rename: () => Promise.reject(new Error('Permission denied')),
      stat: () => Promise.reject(enoent()),
    });
    await expect(new SftpDriver(c, 100).renameNoClobber('/in/a', '/in/b')).rejects.toThrow(
      'Permission denied',
    );
  });
});

describe('SftpDriver.mkdirp', () => {
  it('creates missing folders one level at a time and tolerates a concurrent creator', async () => {
    const dirs = new Set(['/in']);
    const made: string[] = [];
    const c = fakeClient({
      stat: (p) =>
        dirs.has(p)
          ? Promise.resolve({ size: 0, modifyTime: 0, isFile: false, isDirectory: true })
          : Promise.reject(enoent()),
      mkdir: (p) => {
        dirs.add(p); // created, but report failure as if another worker won the race
        made.push(p);
        return p.endsWith('/2026') ? Promise.reject(new Error('Failure')) : Promise.resolve('ok');
      },
    });
    await new SftpDriver(c, 100).mkdirp('/in/archive/2026/11');
    expect(made).toEqual(['/in/archive', '/in/archive/2026', '/in/archive/2026/11']);
  });
});
