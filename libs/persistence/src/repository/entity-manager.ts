/** Generic helpers over TypeORM's EntityManager and DataSource (no table of their own). */
import { EntityManager, type DataSource } from 'typeorm';

/** A DataSource or an EntityManager (e.g. one already inside a transaction). */
export type Db = DataSource | EntityManager;

export function managerOf(db: Db): EntityManager {
  return db instanceof EntityManager ? db : db.manager;
}

/** Rows of an `UPDATE ... RETURNING` (TypeORM's Postgres driver answers `[rows, rowCount]`). */
export async function updateReturning<T>(m: EntityManager, sql: string, args: unknown[]): Promise<T[]> {
  const res: unknown = await m.query(sql, args);
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

/** Whether the database answers a trivial query now (after an unknown error: the file, or the database?). */
export async function pingDatabase(ds: DataSource): Promise<boolean> {
  try {
    await ds.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
