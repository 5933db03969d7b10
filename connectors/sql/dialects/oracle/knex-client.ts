/**
 * knex's node-oracledb client, handing the driver the TLS attributes of `connection.tls` and the
 * connect timeout: the one client of an Oracle source and of an Oracle front database (reached
 * through this kind's `frontDb.knexClient`). knex's own client gives `oracledb.getConnection` only
 * the user, the password and the connect string (knex/lib/dialects/oracledb acquireRawConnection),
 * so the PEM wallet made of `tls` (CA, client certificate and key: core/oracle-tls.ts), its
 * password and the DN match never reached it: the server was verified against Node's public roots,
 * the configured CA went unused, and no client certificate was presented.
 */
import { createRequire } from 'node:module';
import { COLUMN_METADATA } from './query-columns.js';

/**
 * The driver attributes knex leaves out: those `oracleTlsOptions` sets, and the connect timeout
 * (seconds) a source sets from `connectTimeoutMs`, without which the driver waited its own default
 * on a server that accepts and never answers, until knex's pool gave up instead.
 */
const DRIVER_ATTRIBUTES = ['walletContent', 'walletPassword', 'sslServerDNMatch', 'connectTimeout'] as const;

/**
 * The statement options a source sets in its connection (`fetchArraySize`, `prefetchRows`: rows
 * per round trip; `fetchTypeHandler`: how a query stream's dates are fetched, session-formats.ts),
 * which knex neither hands the driver nor gives its statements: each statement
 * of the connection gets them, the driver's process-wide defaults left to other connections.
 */
const EXECUTE_OPTIONS = ['fetchArraySize', 'prefetchRows', 'fetchTypeHandler'] as const;

type GetConnection = (attributes: Record<string, unknown>, ...rest: unknown[]) => unknown;

interface DriverConnection {
  execute(sql: unknown, binds?: unknown, options?: unknown, ...rest: unknown[]): unknown;
}

/** `connection` with `defaults` under the options of each statement it executes. */
function withExecuteDefaults(connection: unknown, defaults: Record<string, unknown>): unknown {
  const c = connection as DriverConnection | null;
  if (c === null || typeof c !== 'object' || Object.keys(defaults).length === 0) return connection;
  const execute = c.execute;
  c.execute = function (sql, binds, options, ...rest) {
    // knex always passes options (an object); a callback in their place is left as it is.
    if (typeof options === 'function' || (options !== undefined && typeof options !== 'object'))
      return execute.call(this, sql, binds, options, ...rest);
    return execute.call(this, sql, binds, { ...defaults, ...(options as object | undefined) }, ...rest);
  };
  return connection;
}

interface OracleClientBase {
  connectionSettings: Record<string, unknown> | undefined;
  _driver(): Record<string, unknown>;
  _query(connection: unknown, obj: KnexQuery): Promise<unknown>;
}

/** The query object knex hands `_query`. */
interface KnexQuery {
  sql: string;
  bindings?: unknown;
  options?: Record<string, unknown>;
  response?: unknown;
}

/** A connection as knex's Oracle client patches it (knex/lib/dialects/oracledb/utils.js). */
interface KnexOracleConnection {
  executeAsync(sql: string, binds: unknown, options: object): Promise<{ metaData?: unknown[] }>;
}

/** The settings named `names` among a connection's settings. */
function picked(
  settings: Record<string, unknown> | undefined,
  names: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of names) if (settings?.[a] !== undefined) out[a] = settings[a];
  return out;
}

export interface OracleKnexClientOptions {
  /**
   * Leave node-oracledb's process-wide `fetchAsString` as it is found instead of writing knex's
   * list there (a front database, see below). @defaultValue false: an Oracle source's list is written.
   */
  readonly leaveFetchAsString?: boolean;
}

/** The client class, for knex's `client` option; loads knex's Oracle dialect (and, on use, oracledb). */
export function oracleKnexClient(options: OracleKnexClientOptions = {}): unknown {
  const require = createRequire(import.meta.url);
  const Base = require('knex/lib/dialects/oracledb/index.js') as new (config: unknown) => OracleClientBase;
  const leaveFetchAsString = options.leaveFetchAsString === true;
  return class OracleClientWithTls extends Base {
    // A query's column metadata, asked for by its probe (query-columns.ts): knex keeps only the
    // rows. The marker itself is not handed to the driver.
    override _query(connection: unknown, obj: KnexQuery): Promise<unknown> {
      if (obj.options?.[COLUMN_METADATA] !== true) return super._query(connection, obj);
      const { [COLUMN_METADATA]: _, ...options } = obj.options;
      return (connection as KnexOracleConnection)
        .executeAsync(obj.sql, obj.bindings, { ...options, autoCommit: false })
        .then((result) => {
          obj.response = result.metaData ?? [];
          return obj;
        });
    }

    override _driver(): Record<string, unknown> {
      const driver = super._driver();
      const client = this;
      // The driver module itself, but `getConnection` given those attributes too. A front
      // database keeps knex's `fetchAsString` off it: the module's setting is process-wide, read as
      // each statement runs, and knex writes its list there at every connection. An Oracle source
      // asks for NUMBER and CLOB as text (NUMBER past 2^53 would come back rounded); a front
      // database's empty list written over it made the source's next pages read NUMBER as
      // JavaScript numbers. The front database's reads take either form (EXCHANGE_STATUS compares
      // by value; knex reads CLOBs whole).
      return new Proxy(driver, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property !== 'getConnection' || typeof value !== 'function') return value;
          const getConnection = value as GetConnection;
          return (attributes: Record<string, unknown>, ...rest: unknown[]) => {
            const settings = client.connectionSettings;
            const defaults = picked(settings, EXECUTE_OPTIONS);
            const all = { ...attributes, ...picked(settings, DRIVER_ATTRIBUTES) };
            const callback = rest[rest.length - 1];
            if (typeof callback === 'function') {
              const done = (error: unknown, connection: unknown) =>
                callback(error, error ? connection : withExecuteDefaults(connection, defaults));
              return getConnection.call(target, all, ...rest.slice(0, -1), done);
            }
            const result = getConnection.call(target, all, ...rest);
            return result instanceof Promise
              ? result.then((connection) => withExecuteDefaults(connection, defaults))
              : result;
          };
        },
        set: (target, property, value) =>
          leaveFetchAsString && property === 'fetchAsString'
            ? true
            : Reflect.set(target, property, value, target),
      });
    }
  };
}
