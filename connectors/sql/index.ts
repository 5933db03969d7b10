/**
 * Opens a SQL source. Each dialect module, and with it knex and the driver, is imported only when
 * a source of that kind is configured — a SQLite-only deployment never loads oracledb.
 */
import type { SourceConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SourceConnector } from '../source.js';
import type { SqlDialect } from './dialect.js';

/** One loader per SQL kind: a dialect module (and with it its driver) loads only when configured. */
const DIALECTS: Readonly<Record<string, () => Promise<SqlDialect>>> = {
  sqlite: async () => (await import('./dialects/sqlite.js')).sqliteDialect,
  postgres: async () => (await import('./dialects/postgres.js')).postgresDialect,
  mysql: async () => (await import('./dialects/mysql.js')).mysqlDialect,
  mssql: async () => (await import('./dialects/mssql.js')).mssqlDialect,
  oracle: async () => (await import('./dialects/oracle.js')).oracleDialect,
};

/** The SQL kinds this build can open. */
export const SQL_KINDS: readonly string[] = Object.keys(DIALECTS);

export async function openSqlSource(name: string, config: SourceConfig): Promise<SourceConnector> {
  const load = DIALECTS[config.kind];
  if (!load) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source ${name}: kind \`${config.kind}\` is not yet supported (supported SQL kinds: ${SQL_KINDS.join(', ')})`,
      { context: { source: name } },
    );
  }
  const dialect = await load();
  const knexConfig = await dialect.knexConfig(name, config);
  // knex is CommonJS: under Node's ESM loader only its default export exists.
  const [{ default: knex }, { SqlSource }] = await Promise.all([import('knex'), import('./sql-source.js')]);
  // compileSqlOnError: false — by default knex pastes the bound values into error messages, and a
  // bound checkpoint key can be an ID number; errors would carry personal data into the logs.
  // log: knex prints pool errors to the console itself; licbridge reports them as errors instead.
  const quiet = () => undefined;
  const db = knex({
    ...knexConfig,
    compileSqlOnError: false,
    log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
  });
  return new SqlSource(name, config, dialect, db);
}
