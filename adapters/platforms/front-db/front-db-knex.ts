/**
 * The knex instance a front-db target talks to its database through: the driver's connection
 * with its connect timeout, a pool sized on the target's concurrency, and nothing asked of the
 * database yet (./front-db-target.ts opens and checks it).
 */
import type { Knex } from 'knex';
import type { Logger } from '../../../core/logger.js';
import type { FrontDbTargetConfig } from './config.js';
import { driverConnection, knexClientOf } from './front-db-driver.js';
import { mysqlLiteralMode } from './mysql-session-literals.js';
import { recordConnections, withConnectTimeout } from './silent-database.js';

/** knex's notices of a failure a statement then fails with, reported by the send: debug only. */
const FAILURE_NOTICE = /^(Acquire connection error|Connection Error): /;

/** Longest notice kept: knex's text is one line of its own words and the driver's. */
const NOTICE_MAX = 500;

/**
 * knex's notices, told through `logger` instead of printed: knex writes them with console.log
 * (coloured on a terminal), a stack under a failure to make a connection, one for every statement
 * that waited for one under pool pressure, between the JSON lines of a worker's stdout and past the
 * logger's redaction. The first line of the text only, no stack. A failure to make or keep a
 * connection is the failing statement's too, which the deliver stage reports once: debug.
 */
function knexLog(name: string, logger: Logger): Knex.Config['log'] {
  const detailOf = (m: unknown): string => {
    const text = typeof m === 'string' ? m : m instanceof Error ? m.message : 'knex notice';
    return (text.split('\n', 1)[0] ?? '').slice(0, NOTICE_MAX);
  };
  const msg = `target ${name}: knex notice`;
  return {
    warn: (m: unknown) => {
      const detail = detailOf(m);
      if (FAILURE_NOTICE.test(detail)) logger.debug({ target: name, detail }, msg);
      else logger.warn({ target: name, detail }, msg);
    },
    error: (m: unknown) => logger.error({ target: name, detail: detailOf(m) }, msg),
    deprecate: (m: unknown) => logger.debug({ target: name, detail: detailOf(m) }, msg),
    debug: (m: unknown) => logger.debug({ target: name, detail: detailOf(m) }, msg),
  };
}

/** Drops knex's notices. */
const QUIET: Knex.Config['log'] = { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} };

/**
 * A knex instance on target `name`'s front database. `sqliteFile`: the SQLite database file,
 * already resolved against the config file's folder. `quiet`: knex logs nothing (a check whose
 * failure its caller reports once); else its notices go to `logger` (`knexLog`).
 */
export async function frontDbKnex(
  name: string,
  config: FrontDbTargetConfig,
  sqliteFile: string,
  logger: Logger,
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
    log: quiet ? QUIET : knexLog(name, logger),
  });
  recordConnections(k);
  return k;
}
