/**
 * A knex client for DM8 through its official driver `dmdb`. dmdb follows node-oracledb's API
 * (getConnection, execute with outFormat and resultSet, getRows, fetchAsString) and DM speaks
 * Oracle's SQL (ROWNUM, `:1` binds, TO_CHAR/TO_TIMESTAMP, the ALL_* dictionary views), so knex's
 * oracledb client builds the SQL and drives the connection; only the driver and the connection
 * attributes are DM's own. knex is CommonJS: its dialect module is loaded with require.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { DM_ZONED_TYPE, zonedText } from './zoned-text.js';

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
  extendedMetaData: boolean;
  getConnection(attrs: Record<string, unknown>): Promise<unknown>;
  [constant: string]: unknown;
}

/** A result column as dmdb describes it when `extendedMetaData` is on. */
interface DmColumn {
  name: string;
  dbType?: number;
  dbTypeName?: string;
}

/** A result as knex's executeAsync returns it: rows, with the metaData on the result or its result set. */
interface DmResult {
  rows?: unknown;
  metaData?: DmColumn[];
  resultSet?: { metaData?: DmColumn[] } | null;
}

// dmdb's column type codes (its driver/dbtype.js): DATETIME_TZ 23, DATETIME2_TZ 27 — the zoned
// date/time types; TIME_TZ (22) has no date and is left as text.
const ZONED_CODES = new Set([23, 27]);

/**
 * Turns, in place, the zoned text of result columns dmdb reports as zoned into marked instants
 * (zoned-text.ts). Query streams declare no column types; without this their zoned values stayed
 * text, which the date transform read without the offset's zone. Text without an offset, and
 * every other column, is left as it is.
 */
export function markZonedDmRows(result: DmResult | null | undefined): void {
  const columns = result?.metaData ?? result?.resultSet?.metaData;
  if (!columns || !Array.isArray(result?.rows)) return;
  const zoned = columns
    .filter(
      (c) => (c.dbType !== undefined && ZONED_CODES.has(c.dbType)) || DM_ZONED_TYPE.test(c.dbTypeName ?? ''),
    )
    .map((c) => c.name);
  if (zoned.length === 0) return;
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const name of zoned) {
      const value = row[name];
      if (typeof value === 'string') row[name] = zonedText(value) ?? value;
    }
  }
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
      // Column types with every result, for markZonedDmRows.
      this.driver.extendedMetaData = true;
      const attrs: Record<string, unknown> = { connectString: s.connectString };
      for (const k of ['user', 'password', 'connectTimeout', 'socketTimeout', 'appName', 'schema'] as const) {
        if (s[k] !== undefined) attrs[k] = s[k];
      }
      const connection = await this.driver.getConnection(attrs);
      monkeyPatchConnection(connection, this);
      const patched = connection as { executeAsync(...args: unknown[]): Promise<DmResult> };
      const executeAsync = patched.executeAsync.bind(patched);
      patched.executeAsync = async (...args: unknown[]) => {
        const result = await executeAsync(...args);
        markZonedDmRows(result);
        return result;
      };
      return connection;
    }
  }
  Object.assign(ClientDm.prototype, { dialect: 'dm', driverName: 'dmdb' });
  cached = ClientDm;
  return ClientDm;
}
