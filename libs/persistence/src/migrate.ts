import { openDataSource } from './data-source';
import { withMigrationLock } from './repository/advisory-lock';

/** Advisory lock key shared by every process that may run migrations ("dpbmigr"). */
const MIGRATION_LOCK = 0x6470626d69677231n;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies pending migrations with the owner role. Several processes may call this at boot: the
 * session advisory lock is taken and released on one dedicated connection, so only one runs them
 * and the others wait, then find nothing to do.
 */
export async function runMigrations(url: string): Promise<MigrationResult> {
  const ds = await openDataSource(url, { extra: { max: 2, application_name: 'dpbridge-migrate' } });
  const qr = ds.createQueryRunner();
  try {
    await qr.connect();
    return await withMigrationLock(qr, MIGRATION_LOCK, async () => {
      const done = await ds.runMigrations({ transaction: 'each' });
      return { applied: done.map((m) => m.name) };
    });
  } finally {
    await qr.release();
    await ds.destroy();
  }
}

export async function pendingMigrations(url: string): Promise<boolean> {
  const ds = await openDataSource(url, { extra: { max: 1 } });
  try {
    return await ds.showMigrations();
  } finally {
    await ds.destroy();
  }
}
