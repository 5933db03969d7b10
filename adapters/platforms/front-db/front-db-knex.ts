/**
 * The knex instance a front-db target talks to its database through: the driver's connection
 * with its connect timeout, a pool sized on the target's concurrency, and nothing asked of the
 * database yet (./front-db-target.ts opens and checks it).
 */
import type { Knex } from 'knex';
import type { FrontDbTargetConfig } from './config.js';
import { driverConnection, knexClientOf } from './front-db-driver.js';
import { mysqlLiteralMode } from './mysql-session-literals.js';
import { recordConnections, withConnectTimeout } from './silent-database.js';

/**
 * A knex instance on target `name`'s front database. `sqliteFile`: the SQLite database file,
 * already resolved against the config file's folder. `quiet`: knex logs nothing (a check whose
 * failure its caller reports once).
 */
export async function frontDbKnex(
  name: string,
  config: FrontDbTargetConfig,
  sqliteFile: string,
  quiet = false,
): Promise<Knex> {
  // knex is CommonJS: under Node's ESM loader only its default export exists.
  const { default: knex } = await import('knex');
  // MySQL: values written as the session's sql_mode reads them (./mysql-session-literals.ts).
  const literals = config.client === 'mysql' ? mysqlLiteralMode(config.timeoutMs) : undefined;
  const connection: Knex.StaticConnectionConfig =
    config.client === 'sqlite'
      ? { filename: sqliteFile }
      : ({
          ...withConnectTimeout(
            config.client,
            driverConnection(name, config.client, config.connection ?? {}),
            config.timeoutMs,
          ),
          ...literals?.connection,
        } as Knex.StaticConnectionConfig);
  const k = knex({
    client: (await knexClientOf(config.client)) as Knex.Config['client'],
    connection,
    useNullAsDefault: true,
    pool:
      config.client === 'sqlite'
        ? { min: 1, max: 1 }
        : { min: 0, max: config.concurrency, ...literals?.pool },
    // A connection that cannot be had within the delivery's time fails it (retryable).
    acquireConnectionTimeout: config.timeoutMs,
    // Bound values are personal data: never in an error message.
    compileSqlOnError: false,
    // A check's failure is reported once, by its caller; knex would also print it, stack and all.
    ...(quiet ? { log: { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} } } : {}),
  });
  recordConnections(k);
  return k;
}
