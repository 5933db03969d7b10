/**
 * Oracle query streams' DATE and TIMESTAMP values, and text made of dates in the session's NLS
 * format. Table streams select DATE and TIMESTAMP with TO_CHAR in an explicit format; a query
 * stream's columns have no declared type, and got the driver's Date, which node-oracledb builds in
 * the host's zone with `new Date(year, …)`: year 0001 read as 1901, and 1940-06-01 00:00 (a time
 * Asia/Shanghai skipped) as 01:00. A query stream's cursor was `TO_CHAR(col)` and its checkpoint
 * bound back as text, both in the login's NLS format (`DD-MON-RR` by default: no time of day), as a
 * table stream's TIMESTAMP WITH TIME ZONE cursor was. Every connection of a source now sets
 * licbridge's formats first, in thick mode a query stream's DATE and TIMESTAMP are fetched as the
 * server's text in them (thin mode makes no such text: oracle-thin-query-dates.test.ts), and a
 * zoned cursor is its UTC instant in an explicit format.
 *
 * No Oracle server runs here. The driver's getConnection hands out a connection standing in for
 * one: it keeps the session's NLS formats (Oracle's defaults until an ALTER SESSION sets them),
 * formats and reads dates as text in them, and fetches each column as node-oracledb's thick mode would —
 * through the statement's fetch type handler, else the driver's own, a DATE or TIMESTAMP not
 * fetched as text being the driver's Date made by its own decoder (`parseOracleDate`).
 */
import { createRequire } from 'node:module';
import knex from 'knex';
import { describe, expect, it, vi } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import type { Page, SourceValue } from '../../connectors/source.js';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { isZonedInstant } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { fakeOracleDriver, restoreOracleDriverAfterEach } from './oracle-fake-driver.js';

const require = createRequire(import.meta.url);
const oracledb = require('oracledb') as Record<string, unknown> & {
  fetchTypeHandler?: Handler;
  readonly thin: boolean;
};
const { BaseBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: { prototype: { parseOracleDate(bytes: Buffer, useLocalTime?: boolean): Date } };
};
restoreOracleDriverAfterEach();

type Handler = (m: {
  name: string;
  dbType: unknown;
}) => { type?: unknown; converter?: (v: unknown) => unknown } | undefined;

/** Stored fields: year, month, day, hour, minute, second, nanoseconds; an offset in minutes for a zoned value. */
interface Stamp {
  f: [number, number, number, number?, number?, number?, number?];
  offset?: number;
}

const ROWS: { ID: string; YXQZ: Stamp; GXSJ: Stamp; FZSJ: Stamp }[] = [
  {
    ID: '1',
    YXQZ: { f: [1, 1, 1] },
    GXSJ: { f: [1940, 6, 1, 0, 0, 0, 0] },
    FZSJ: { f: [2024, 3, 1, 7], offset: 480 },
  },
  {
    ID: '2',
    YXQZ: { f: [1940, 6, 1] },
    GXSJ: { f: [2024, 3, 1, 8, 0, 5, 123456789] },
    FZSJ: { f: [2024, 3, 1, 0], offset: 480 },
  },
];
const DB_TYPES: Record<string, unknown> = {
  ID: oracledb.DB_TYPE_NUMBER,
  YXQZ: oracledb.DB_TYPE_DATE,
  GXSJ: oracledb.DB_TYPE_TIMESTAMP,
  FZSJ: oracledb.DB_TYPE_TIMESTAMP_TZ,
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Oracle's defaults, for a territory of AMERICA. */
const DEFAULT_NLS = {
  NLS_DATE_FORMAT: 'DD-MON-RR',
  NLS_TIMESTAMP_FORMAT: 'DD-MON-RR HH.MI.SSXFF AM',
  NLS_TIMESTAMP_TZ_FORMAT: 'DD-MON-RR HH.MI.SSXFF AM TZR',
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** TO_CHAR of a stored value in an Oracle format (the elements the tests use). */
function toChar({ f, offset }: Stamp, format: string): string {
  const [y, mo, d, h = 0, mi = 0, s = 0, ns = 0] = f;
  const tz =
    offset === undefined
      ? ''
      : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return format.replace(/SYYYY|YYYY|RR|MON|MM|DD|HH24|HH|MI|SS|XFF|FF9|FF|AM|TZH:TZM|TZR/g, (t) => {
    switch (t) {
      case 'SYYYY':
        return ` ${pad(y, 4)}`;
      case 'YYYY':
        return pad(y, 4);
      case 'RR':
        return pad(y % 100);
      case 'MON':
        return MONTHS[mo - 1] as string;
      case 'MM':
        return pad(mo);
      case 'DD':
        return pad(d);
      case 'HH24':
        return pad(h);
      case 'HH':
        return pad(h % 12 === 0 ? 12 : h % 12);
      case 'MI':
        return pad(mi);
      case 'SS':
        return pad(s);
      case 'XFF':
        return `.${pad(ns, 9)}`;
      case 'AM':
        return h < 12 ? 'AM' : 'PM';
      default:
        return t.startsWith('FF') ? pad(ns, 9) : tz;
    }
  });
}

/** node-oracledb's own Date for a DATE or TIMESTAMP: the fields in the host's zone. */
function driverDate({ f }: Stamp): Date {
  const [y, mo, d, h = 0, mi = 0, s = 0] = f;
  return BaseBuffer.prototype.parseOracleDate(
    Buffer.from([Math.floor(y / 100) + 100, (y % 100) + 100, mo, d, h + 1, mi + 1, s + 1]),
  );
}

const instant = ({ f, offset = 0 }: Stamp) =>
  new Date(Date.UTC(f[0], f[1] - 1, f[2], f[3] ?? 0, f[4] ?? 0, f[5] ?? 0) - offset * 60_000);

interface FakeServer {
  /** Every statement of every connection, in order, with the session's formats then. */
  statements: { sql: string; binds: unknown[]; nls: Record<string, string> }[];
}

/** Replaces the driver's getConnection with a connection standing in for an Oracle server. */
function fakeServer(): FakeServer {
  const server: FakeServer = { statements: [] };
  fakeOracleDriver<unknown[], { fetchTypeHandler?: Handler }>(() => {
    const nls: Record<string, string> = { ...DEFAULT_NLS };
    return (sql, binds, options, done) => {
      server.statements.push({ sql, binds: [...(binds ?? [])], nls: { ...nls } });
      for (const [, name, value] of sql.matchAll(/(NLS_\w+)\s*=\s*'([^']*)'/g))
        nls[name as string] = value as string;
      // knex asks for a result set for a SELECT; rows as the driver hands them over.
      const answer = (rows: Record<string, unknown>[]) => {
        const pending = [...rows];
        done(null, {
          rows,
          resultSet: {
            getRows: (n: number, cb: (e: null, r: unknown[]) => void) => cb(null, pending.splice(0, n)),
            close: (cb?: () => void) => cb?.(),
          },
        });
      };
      if (!/lb_q/.test(sql) || /is null/i.test(sql)) return answer([]);
      // The cursor page after a checkpoint: the server reads the bound text in the session's format.
      // A page after a checkpoint, or the rows tied with it: the server reads the bound cursor
      // text in the session's format.
      const texts = (binds ?? []).filter((b): b is string => typeof b === 'string' && /[-:.]/.test(b));
      let rows = ROWS;
      if (texts.length > 0) {
        const at = ROWS.findIndex((r) => toChar(r.GXSJ, nls.NLS_TIMESTAMP_FORMAT as string) === texts[0]);
        if (at < 0) return done(Object.assign(new Error('ORA-01843: not a valid month'), { errorNum: 1843 }));
        rows = /"GXSJ" > /.test(sql) ? ROWS.slice(at + 1) : ROWS.slice(at, at + 1);
      }
      const handler = options.fetchTypeHandler ?? oracledb.fetchTypeHandler;
      const fetched = (name: string, stamp: Stamp) => {
        const how = handler?.({ name, dbType: DB_TYPES[name] });
        const format =
          name === 'FZSJ'
            ? nls.NLS_TIMESTAMP_TZ_FORMAT
            : name === 'YXQZ'
              ? nls.NLS_DATE_FORMAT
              : nls.NLS_TIMESTAMP_FORMAT;
        const value =
          how?.type === oracledb.DB_TYPE_VARCHAR
            ? toChar(stamp, format as string)
            : name === 'FZSJ'
              ? instant(stamp)
              : driverDate(stamp);
        return how?.converter ? how.converter(value) : value;
      };
      answer(
        rows.slice(0, 1).map((r) => ({
          ID: r.ID,
          YXQZ: fetched('YXQZ', r.YXQZ),
          GXSJ: fetched('GXSJ', r.GXSJ),
          FZSJ: fetched('FZSJ', r.FZSJ),
          // TO_CHAR(col) with no format: the session's.
          __lb_cursor_text: toChar(r.GXSJ, nls.NLS_TIMESTAMP_FORMAT as string),
        })),
      );
    };
  });
  return server;
}

const sourceConfig = () =>
  withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    trim: 'all',
    pageSize: 1,
  } as SourceConfig);

const stream = {
  table: 'licenses',
  key: 'ID',
  cursor: 'GXSJ',
  keyUnique: true,
  query: 'SELECT ID, YXQZ, GXSJ, FZSJ FROM SPXK.T_XKZ',
};

/** Every page of the query stream, one row a page, from `after`. */
async function readPages(after: string | null = null): Promise<Page[]> {
  const db = knex(await oracleDialect.knexConfig('market-food', sourceConfig()));
  const source = new SqlSource('market-food', sourceConfig(), oracleDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const pages: Page[] = [];
  try {
    for await (const page of source.read({ stream, after, pageSize: 1 })) pages.push(page);
  } finally {
    await source.close();
  }
  return pages;
}

const utc = (iso: string) => {
  const d = new Date(`2000${iso.slice(4)}`);
  d.setUTCFullYear(Number(iso.slice(0, 4)));
  return d;
};

describe('oracle query streams: dates as stored, text in explicit formats', { timeout: 20_000 }, () => {
  it('reads year 0001 as 0001 and a time the host zone skipped as stored, on any host zone, in thick mode', async () => {
    // Thick mode's client library fetches them as the server's text; thin mode has no such text
    // and keeps the driver's Date (oracle-thin-query-dates.test.ts).
    const thick = vi.spyOn(oracledb, 'thin', 'get').mockReturnValue(false);
    const before = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Asia/Shanghai']) {
        process.env.TZ = zone;
        fakeServer();
        const values: Record<string, SourceValue>[] = (await readPages()).flatMap((p) =>
          p.rows.map((r) => r.values),
        );
        expect(
          values.map((v) => [v.YXQZ, v.GXSJ]),
          zone,
        ).toEqual([
          [utc('0001-01-01T00:00:00Z'), new Date('1940-06-01T00:00:00Z')],
          [new Date('1940-06-01T00:00:00Z'), new Date('2024-03-01T08:00:05.123Z')],
        ]);
        // A zoned value stays the instant, marked.
        expect(
          values.map((v) => (v.FZSJ as Date).toISOString()),
          zone,
        ).toEqual(['2024-02-29T23:00:00.000Z', '2024-02-29T16:00:00.000Z']);
        expect(values.every((v) => isZonedInstant(v.FZSJ))).toBe(true);
      }
    } finally {
      thick.mockRestore();
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it("sets licbridge's formats on every connection before any read, and resumes a cursor written in them", async () => {
    const server = fakeServer();
    const pages = await readPages();
    const first = server.statements[0];
    expect(first?.sql).toMatch(/^ALTER SESSION SET /);
    for (const s of server.statements.slice(1)) {
      expect(s.nls).toMatchObject({
        NLS_DATE_FORMAT: 'SYYYY-MM-DD HH24:MI:SS',
        NLS_TIMESTAMP_FORMAT: 'SYYYY-MM-DD HH24:MI:SS.FF9',
        NLS_TIMESTAMP_TZ_FORMAT: 'SYYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
        NLS_NUMERIC_CHARACTERS: '.,',
      });
    }
    // The cursor keeps its time of day and every fractional digit.
    expect(decodeKeyPosition(pages[0]?.checkpoint ?? '', 'market-food').cursor).toBe(
      ' 1940-06-01 00:00:00.000000000',
    );
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1', '2']);
    // A later run on new connections reads the checkpoint back in the same format.
    fakeServer();
    const rest = await readPages(pages[0]?.checkpoint ?? null);
    expect(rest.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['2']);
  });
});

describe('oracle table streams: a TIMESTAMP WITH TIME ZONE cursor in an explicit format', () => {
  const db = knex({ client: 'oracledb', connection: {} });
  const col = (type: string): ColumnMeta => ({
    name: 'FZSJ',
    type,
    nullable: true,
    primaryKey: false,
    unique: false,
    leadsIndex: true,
  });

  it('is selected as its UTC instant and bound back with the format it was written in', () => {
    for (const type of ['TIMESTAMP(6) WITH TIME ZONE', 'TIMESTAMP(9) WITH LOCAL TIME ZONE']) {
      const text = oracleDialect.cursorAsText(db, 'FZSJ', type)?.toSQL().sql ?? '';
      expect(text, type).toMatch(
        /^TO_CHAR\(SYS_EXTRACT_UTC\(.*"FZSJ".*\), 'YYYY-MM-DD HH24:MI:SS\.FF9 "\+00:00"'\)$/,
      );
      const bound = oracleDialect.bind(db, '2024-02-29 23:00:00.000000000 +00:00', col(type)) as {
        toSQL(): { sql: string; bindings: unknown[] };
      };
      expect(bound.toSQL().sql, type).toBe("TO_TIMESTAMP_TZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')");
      expect(bound.toSQL().bindings).toEqual(['2024-02-29 23:00:00.000000000 +00:00']);
    }
    // A LOCAL one is cast to TIMESTAMP WITH TIME ZONE first, keeping 9 digits.
    expect(
      oracleDialect.cursorAsText(db, 'FZSJ', 'TIMESTAMP(9) WITH LOCAL TIME ZONE')?.toSQL().sql,
    ).toContain('CAST("FZSJ" AS TIMESTAMP(9) WITH TIME ZONE)');
  });
});
