/**
 * Opens a SQL source. The kind's spec loads its dialect module, and with it the driver, only when
 * a source of that kind is configured — a SQLite-only deployment never loads oracledb.
 */
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import { rootLogger } from '../../core/logger.js';
import { namedTlsSettingError } from '../../core/tls.js';
import type { SourceConnector } from '../source.js';
import type { DriverReading, SqlDialect } from './dialect.js';
import { noteSentSql } from './driver-errors.js';
import type { SqlSourceOptions } from './sql-source.js';

/**
 * Opens a SQL source with its dialect (loaded by the kind's spec, connectors/sql/open-sql.ts);
 * `reading` shapes the values its driver parses (dialect.ts `DriverReading`).
 */
export async function openSqlSource(
  name: string,
  given: SourceConfig,
  dialect: SqlDialect,
  options: SqlSourceOptions = {},
  reading: DriverReading = {},
): Promise<SourceConnector> {
  // A loaded config has every default already; one built in code gets them from the same schema.
  const config = withSourceDefaults(given);
  let knexConfig: Awaited<ReturnType<SqlDialect['knexConfig']>>;
  try {
    // The driver's findings go where the source's own do.
    const logger = reading.logger ?? (() => options.logger ?? rootLogger());
    knexConfig = await dialect.knexConfig(name, config, { ...reading, logger });
  } catch (e) {
    // The driver options refuse a `tls:` setting (an empty `tls.ca`) without knowing whose it is.
    throw namedTlsSettingError(e, `source ${name} (${config.kind})`);
  }
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
  // The SQL of a failed statement, so its error can give the driver's reason before it.
  db.on('query-error', (error: unknown, query: { sql?: unknown }) => noteSentSql(error, query?.sql));
  return new SqlSource(name, config, dialect, db, options);
}
