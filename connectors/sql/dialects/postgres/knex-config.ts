/**
 * Knex settings for a server speaking the PostgreSQL protocol through node-postgres (PostgreSQL,
 * KingbaseES): the connection, and the type parsers that hand each value over as the dialect reads
 * it (dialect.ts says how the reads themselves run).
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { zonedInstant } from '../../../../core/local-date.js';
import { boundPgQueries, PG_KEEPALIVE_IDLE_MS, type PgClient } from '../../../../core/pg-query-bound.js';
import { SOURCE_ANSWER_MARGIN_MS } from '../../../../core/query-bound.js';
import { sqlSslOptions } from '../../../../core/tls-drivers.js';
import type { DriverReading } from '../../dialect.js';
import { jsonColumnValue } from '../../json-text.js';
import { numericText, parseWallClock } from '../../values.js';
import { connectionOf, portOf, timeoutsOf } from '../common.js';
import { type ArrayParse, arrayValueParser, floatElement } from './array-values.js';
import { pgKnexClient } from './knex-client.js';
import { MONEY_OID, moneyAmount } from './money-text.js';
import { catalogUnreadNote, learnUserArrays, type UserArrays } from './user-arrays.js';
import { readZoneCheck } from './zone-check.js';

// Type OIDs (pg_type.dat): int8 20, numeric 1700, date 1082, timestamp 1114, timestamptz 1184,
// json 114, jsonb 3802, interval 1186, float4 700, float8 701.
const INT8 = 20;
const FLOAT4 = 700;
const FLOAT8 = 701;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const JSON_OID = 114;
const JSONB = 3802;
const INTERVAL = 1186;

/**
 * The knex instance's `userParams` entry naming the zone each read transaction sets as its
 * TimeZone (dialect.ts `postgresRead`): `reading.timeZone`, the mappings' zone (absent: `postgresRead`'s own default, Asia/Shanghai).
 */
export const READ_ZONE_PARAM = 'readTimeZone';

/** pg-types' array parser, which node-postgres' types carry but do not declare. */
interface PgArrayTypes {
  arrayParser: { create(text: string, element: (entry: string) => unknown): { parse(): unknown } };
}

/**
 * node-postgres' own timestamptz parser, its Dates marked as zoned instants. 'infinity' and
 * '-infinity' stay the text they are, as a `timestamp`'s do: the parser makes them the numbers
 * ±Infinity, which no JSON holds (a license valid without end went out as a number, or `null`).
 * So does an instant past a Date's range (290000-01-01), as a `timestamptz[]`'s element does
 * (array-values.ts): the parser made it an Invalid Date, which the mappings refused as `date value
 * is invalid`, naming no value.
 */
function zonedTimestamp(parse: (text: string) => unknown): (text: string) => unknown {
  return (text) => {
    const value = parse(text);
    return value instanceof Date && !Number.isNaN(value.getTime()) ? zonedInstant(value) : text;
  };
}

/**
 * Knex settings for a server speaking the PostgreSQL protocol through node-postgres (PostgreSQL,
 * KingbaseES): `defaultPort` when the config names none; `reading.timeZone` the zone a
 * `timestamptz[]`'s elements are written in (array-values.ts) and each read's TimeZone (dialect.ts
 * `postgresRead`); `catalog` the prefix of its system catalog's names (user-arrays.ts).
 */
export async function pgFamilyKnexConfig(
  name: string,
  config: SourceConfig,
  defaultPort: number,
  reading: DriverReading = {},
  catalog: 'pg_' | 'sys_' = 'pg_',
): Promise<Knex.Config> {
  const c = connectionOf(name, config);
  const { default: pg } = await import('pg');
  const statementTimeout = timeoutsOf(config).statementMs;
  const parseArray: ArrayParse = (text, element) =>
    (pg.types as unknown as PgArrayTypes).arrayParser.create(text, element).parse();
  // Filled by each new connection (afterCreate), before its first statement.
  const userArrays: UserArrays = new Map();
  // A catalog that cannot be read fails every connection's look-up alike: told once a source.
  let unreadTold = false;
  const unread = (sqlstate: string) => {
    if (unreadTold) return;
    unreadTold = true;
    reading.logger?.().warn({ source: name, sqlstate }, catalogUnreadNote(name, catalog, sqlstate));
  };
  // The zone each read sets, tried once the source's first connection is made (zone-check.ts).
  const checkZone = readZoneCheck(name, reading.timeZone);
  const types = {
    getTypeParser(oid: number, format?: string): (text: string) => unknown {
      // An enum's or a domain's array as the built-in array it stands for (user-arrays.ts).
      const standsFor = userArrays.get(oid);
      if (standsFor !== undefined) return types.getTypeParser(standsFor, format);
      // node-postgres parses DATE and TIMESTAMP in the host's zone, so the same row would give
      // different Dates on hosts in different zones. Legacy values are zone-less wall-clock
      // values: hand them over with the stored fields as UTC fields, whatever the host's TZ.
      if (oid === DATE || oid === TIMESTAMP) return (text: string) => parseWallClock(text) ?? text;
      if (oid === NUMERIC || oid === INT8) return numericText;
      // node-postgres made a real's or a double's `Infinity`, `-Infinity` and `NaN` the numbers,
      // which the mappings refuse before any step (`number Infinity is not finite`): a validity
      // written as without end quarantined its row, where a numeric's `NaN` and a float list's
      // elements are their text, which a mapping reads. Their text too; finite values numbers.
      if (oid === FLOAT4 || oid === FLOAT8) return floatElement;
      // The display text of money in the read's C locale, as its amount (money-text.ts).
      if (oid === MONEY_OID) return moneyAmount;
      // node-postgres' interval object went out as its JSON, `{"years":1,"months":2}`: a validity
      // period no mapping reads so. Its ISO 8601 text instead (POSTGRES_READ's IntervalStyle).
      if (oid === INTERVAL) return (text: string) => text;
      // JSON.parse, node-postgres' own, rounded a number past a double's digits (json-text.ts).
      if (oid === JSON_OID || oid === JSONB) return jsonColumnValue;
      // Their arrays as the lone values, never in the host's zone nor through parseFloat.
      const array = arrayValueParser(
        oid,
        parseArray,
        (element) => pg.types.getTypeParser(element, 'text'),
        reading.timeZone,
      );
      if (array) return array;
      // timestamptz is an instant: 2024-03-01 07:00+08 is the Date 2024-02-29T23:00Z, whose UTC day
      // is the day before the one on the license. Marked, the mapping's date transform takes its
      // day in the configured zone (core/local-date.ts). By OID, so query streams are marked too;
      // a cursor selected as text is not a timestamptz and stays text.
      if (oid === TIMESTAMPTZ) return zonedTimestamp(pg.types.getTypeParser(oid, format as 'text'));
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  return {
    // knex's pg client, opening a read in one round trip (knex-client.ts).
    client: pgKnexClient(),
    connection: {
      host: c.host,
      port: portOf(c.port, defaultPort),
      database: c.database,
      user: c.user,
      password: c.password,
      // Verified TLS (core/tls-drivers.ts): certificate chain and host name, never silently skipped.
      ssl: sqlSslOptions(c),
      application_name: `licbridge:${name}`.slice(0, 63),
      connectionTimeoutMillis: timeoutsOf(config).connectMs,
      // Read-only at the session level too, as a second line behind the read-only transaction
      // of every read (a query can lift this default, not the transaction). statement_timeout
      // is enforced by the server itself. (extra_float_digits is set by each read: POSTGRES_READ.)
      options: `-c default_transaction_read_only=on -c statement_timeout=${statementTimeout}`,
      types,
      keepAlive: true,
      keepAliveInitialDelayMillis: PG_KEEPALIVE_IDLE_MS,
    } as Knex.PgConnectionConfig,
    pool: {
      min: 0,
      max: 2,
      // The server's statement_timeout cannot answer over a network that went silent: past it and
      // a margin for the cancel's answer, the client gives up and drops the connection
      // (core/pg-query-bound.ts), where the page's job waited as long as TCP (hours) in a live
      // worker, and a run counting it worked (pipelines/idle-rule.ts) never gave up.
      afterCreate(conn: PgClient, done: (err: Error | null, conn: unknown) => void) {
        boundPgQueries(
          conn,
          () => statementTimeout + SOURCE_ANSWER_MARGIN_MS,
          `sources.${name}.statementTimeoutMs`,
        );
        learnUserArrays(
          conn,
          userArrays,
          catalog,
          (err, made) => (err ? done(err, made) : checkZone(conn, done)),
          unread,
        );
      },
    },
    acquireConnectionTimeout: timeoutsOf(config).connectMs + 5_000,
    userParams: { [READ_ZONE_PARAM]: reading.timeZone },
  } as Knex.Config;
}
