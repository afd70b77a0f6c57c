import { types } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

// `date` columns are civil dates: keep them as 'YYYY-MM-DD' strings instead of local-midnight
// Date objects. (bigint/numeric stay strings, as pg returns them.)
types.setTypeParser(types.builtins.DATE, (v: string) => v);
import { MIGRATIONS } from './migrations';

/**
 * One TypeORM data source per process. Schema changes come only from migrations
 * (`synchronize` is never on); the run-time role needs no DDL rights.
 */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    extra: { max: 10, application_name: 'dpbridge' },
    ...extra,
  } as DataSourceOptions;
}

export async function openDataSource(url: string, extra: Partial<DataSourceOptions> = {}): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, extra));
  await ds.initialize();
  return ds;
}
