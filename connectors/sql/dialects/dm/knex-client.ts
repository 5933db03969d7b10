/**
 * A knex client for DM8 through its official driver `dmdb`. dmdb follows node-oracledb's API
 * (getConnection, execute with outFormat and resultSet, getRows, fetchAsString) and DM speaks
 * Oracle's SQL (ROWNUM, `:1` binds, TO_CHAR/TO_TIMESTAMP, the ALL_* dictionary views), so knex's
 * oracledb client builds the SQL and drives the connection; only the driver and the connection
 * attributes are DM's own. knex is CommonJS: its dialect module is loaded with require.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';

const require = createRequire(import.meta.url);

/** The connection attributes passed to dmdb.getConnection (its ConnectionAttributes). */
export interface DmConnectionSettings {
  connectString: string;
  user?: string;
  password?: string;
  /** ms to establish the connection. */
  connectTimeout?: number;
  /** ms any round trip may take: the statement timeout. */
  socketTimeout?: number;
  appName?: string;
  /** The schema unqualified names resolve in (DM has one database per instance, schemas in it). */
  schema?: string;
}

interface DmDriver {
  fetchAsString: number[];
  getConnection(attrs: Record<string, unknown>): Promise<unknown>;
  [constant: string]: unknown;
}

type OracledbClientClass = new (config: Knex.Config) => Knex.Client;

let cached: OracledbClientClass | undefined;

/** The knex client class for DM, made once. */
export function dmKnexClient(): OracledbClientClass {
  if (cached) return cached;
  const ClientOracledb = require('knex/lib/dialects/oracledb/index.js') as OracledbClientClass;
  const { monkeyPatchConnection } = require('knex/lib/dialects/oracledb/utils.js') as {
    monkeyPatchConnection(connection: unknown, client: unknown): void;
  };
  class ClientDm extends ClientOracledb {
    declare driver: DmDriver;
    declare config: Knex.Config & { fetchAsString?: string[] };
    declare connectionSettings: DmConnectionSettings;
    // Set by _driver(), which knex calls from the base constructor (a field initializer would undo it).
    declare fetchAsString: number[];

    _driver(): DmDriver {
      const dmdb = require('dmdb') as DmDriver;
      // Type names (`number`, `date`, `clob`) to dmdb's constants, as knex does for oracledb.
      this.fetchAsString = (this.config.fetchAsString ?? [])
        .map((t) => dmdb[t.toUpperCase()])
        .filter((c): c is number => typeof c === 'number');
      return dmdb;
    }

    override async acquireRawConnection(): Promise<unknown> {
      const s = this.connectionSettings;
      this.driver.fetchAsString = this.fetchAsString;
      const attrs: Record<string, unknown> = { connectString: s.connectString };
      for (const k of ['user', 'password', 'connectTimeout', 'socketTimeout', 'appName', 'schema'] as const) {
        if (s[k] !== undefined) attrs[k] = s[k];
      }
      const connection = await this.driver.getConnection(attrs);
      monkeyPatchConnection(connection, this);
      return connection;
    }
  }
  Object.assign(ClientDm.prototype, { dialect: 'dm', driverName: 'dmdb' });
  cached = ClientDm;
  return ClientDm;
}
