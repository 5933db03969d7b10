/**
 * Oracle DATE and TIMESTAMP carry no zone, and node-oracledb builds a Date from their fields in
 * the host's zone with `new Date(year, month, …)`, which takes years 0-99 for 1900-1999 and
 * moves a time the host's zone skipped: 0001-01-01, the "no date" .NET and others write, came
 * through as 1901-01-01, and in Asia/Shanghai 1940-06-01 00:00 as 01:00. Table streams select
 * such columns as text in an explicit format (no session NLS setting is involved) and read the
 * text as the wall clock.
 *
 * No Oracle server runs here. A connection stands in for one and answers as node-oracledb
 * would: a TO_CHAR column as its text, a DATE column as the driver's own decoder
 * (`parseOracleDate`) builds it from the bytes Oracle sends.
 */
import { createRequire } from 'node:module';
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceValue } from '../../connectors/source.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';

type Row = Record<string, unknown>;

const require = createRequire(import.meta.url);
const { BaseBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: { prototype: { parseOracleDate(bytes: Buffer, useLocalTime?: boolean): Date } };
};
/** node-oracledb's decoder of Oracle's 7-byte DATE: century+100, year+100, month, day, hour+1, minute+1, second+1. */
const driverDate = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date =>
  BaseBuffer.prototype.parseOracleDate(
    Buffer.from([Math.floor(y / 100) + 100, (y % 100) + 100, mo, d, h + 1, mi + 1, s + 1]),
  );

const COLUMNS: Row[] = [
  { NAME: 'ID', TYPE: 'NUMBER(10,0)', NULLABLE: 'N', PK: '1', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'YXQZ', TYPE: 'DATE', NULLABLE: 'Y', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'GXSJ', TYPE: 'TIMESTAMP(6)', NULLABLE: 'Y', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
];

/** What the table holds, field by field. */
const STORED = [
  { ID: '1', YXQZ: [1, 1, 1], GXSJ: [2024, 3, 1, 8, 0, 5], fraction: '123456000' },
  { ID: '2', YXQZ: [1940, 6, 1], GXSJ: [1999, 12, 31, 23, 59, 59], fraction: '999999000' },
] as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** TO_CHAR(…, 'SYYYY-MM-DD HH24:MI:SS'): a sign place before the year, blank for AD. */
const text = ([y, mo, d, h = 0, mi = 0, s = 0]: readonly number[]) =>
  ` ${pad(y as number, 4)}-${pad(mo as number)}-${pad(d as number)} ${pad(h)}:${pad(mi)}:${pad(s)}`;

function answer(sql: string): Row[] {
  if (/all_tab_columns c/i.test(sql)) return COLUMNS;
  if (/all_tables/i.test(sql)) return [{ NAME: 'T_XKZ' }];
  if (/FROM all_views WHERE/i.test(sql)) return [{ N: '0' }];
  if (/all_ind_columns/i.test(sql)) return [{ NAME: 'ID', LEADS: '1' }];
  if (!/from "SPXK"\."T_XKZ"/i.test(sql)) return [];
  const asText = (c: string) =>
    new RegExp(`TO_CHAR\\("${c}", 'SYYYY-MM-DD HH24:MI:SS[.FF9]*'\\) AS "${c}"`).test(sql);
  return STORED.map((r) => ({
    ID: r.ID,
    YXQZ: asText('YXQZ') ? text(r.YXQZ) : driverDate(...(r.YXQZ as [number, number, number])),
    GXSJ: asText('GXSJ')
      ? `${text(r.GXSJ)}.${r.fraction}`
      : driverDate(...(r.GXSJ as [number, number, number, number, number, number])),
  }));
}

async function readTable(): Promise<Record<string, SourceValue>[]> {
  const db: Knex = knexModule({ client: 'oracledb', connection: {} });
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(): Promise<void> };
  client.acquireConnection = async () => ({
    isTransaction: true,
    async executeAsync(sql: string) {
      return { rows: answer(sql) };
    },
    async commitAsync() {},
    async rollbackAsync() {},
  });
  client.releaseConnection = async () => undefined;
  const config = withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example' },
    trim: 'all',
    pageSize: 500,
  });
  const source = new SqlSource('legacy', config, oracleDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const values: Record<string, SourceValue>[] = [];
  for await (const page of source.read({
    stream: { table: 'SPXK.T_XKZ', key: 'ID' },
    after: null,
    pageSize: 100,
  }))
    values.push(...page.rows.map((r) => r.values));
  return values;
}

const utc = (iso: string) => {
  const d = new Date(`2000${iso.slice(4)}`);
  d.setUTCFullYear(Number(iso.slice(0, 4)));
  return d;
};

describe('oracle DATE and TIMESTAMP as the wall clock stored', () => {
  it('the driver alone turns year 0001 into 1901', () => {
    expect(driverDate(1, 1, 1).getFullYear()).toBe(1901);
  });

  it('reads year 0001 as 0001 and times as stored, on any host zone', async () => {
    const before = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Asia/Shanghai']) {
        process.env.TZ = zone;
        const rows = await readTable();
        expect(
          rows.map((v) => [v.YXQZ, v.GXSJ]),
          zone,
        ).toEqual([
          [utc('0001-01-01T00:00:00Z'), new Date('2024-03-01T08:00:05.123Z')],
          [new Date('1940-06-01T00:00:00Z'), new Date('1999-12-31T23:59:59.999Z')],
        ]);
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('reads a year before the common era with its sign', () => {
    const n = oracleDialect.normalise as NonNullable<SqlDialect['normalise']>;
    expect((n('-0044-03-15 00:00:00', 'DATE') as Date).getUTCFullYear()).toBe(-44);
    expect(n('2024-03-01 08:00:00', 'DATE')).toEqual(new Date('2024-03-01T08:00:00Z'));
  });
});
