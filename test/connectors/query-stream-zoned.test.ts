/**
 * Zoned values from query streams on SQL Server, Oracle and DM. A query stream has no declared
 * column types, so the dialects' `normalise` cannot tell a DATETIMEOFFSET or a TIMESTAMP WITH TIME
 * ZONE from a zone-less value; unmarked, 2024-03-01 07:00 +08:00 (the instant 2024-02-29T23:00Z)
 * was mapped to 2024-02-29. The mark now comes from the type each driver reports with the result:
 * tedious' column metadata, node-oracledb's `dbType`, dmdb's extended metaData. No server runs
 * here: the drivers' own result shapes are replayed into the knex clients and the normalisation.
 */
import { createRequire } from 'node:module';
import { TYPES } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { markZonedDmRows } from '../../connectors/sql/dialects/dm/knex-client.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { normaliseValue } from '../../connectors/sql/values.js';
import { isZonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';

// node-oracledb ships no type declarations: the constants this test needs, as the driver exports them.
const oracledb = createRequire(import.meta.url)('oracledb') as Record<
  'DB_TYPE_TIMESTAMP_TZ' | 'DB_TYPE_TIMESTAMP_LTZ' | 'DB_TYPE_TIMESTAMP' | 'DB_TYPE_DATE' | 'DB_TYPE_NUMBER',
  unknown
> & { fetchTypeHandler?: unknown };

const mapping = compileMappingText(
  [
    'fields:',
    '  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }] }',
    '  validFrom: { from: GXSJ, transform: [{ date: [yyyyMMdd] }] }',
    '',
  ].join('\n'),
  '/maps/zoned-query.yaml',
);

const issueOnly = compileMappingText(
  'fields:\n  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }] }\n',
  '/maps/zoned-issue.yaml',
);

/** A query-stream row as the SQL source builds it: no declared types, then the shared normalisation. */
function queryRow(dialect: SqlDialect, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(raw)) {
    const v = dialect.normalise && value !== null ? dialect.normalise(value, undefined) : value;
    out[column] = normaliseValue(v, false);
  }
  return out;
}

function mapped(values: Record<string, unknown>): unknown {
  const out = mapping.map(values as never, { today: '2024-06-15' });
  return out.ok ? out.fields : out.reasons;
}

const expected = { issueDate: '2024-03-01', validFrom: '2024-03-01' };

function config(kind: string): SourceConfig {
  return {
    kind,
    connection: { host: 'db.example', database: 'd', user: 'ro' },
    trim: 'all',
    pageSize: 100,
  } as SourceConfig;
}

describe('SQL Server query streams (tedious column metadata)', () => {
  it('a DATETIMEOFFSET 07:00 +08:00 is marked and issued on 2024-03-01; a DATETIME2 is not marked', async () => {
    const knex = (await import('knex')).default;
    const db = knex(await mssqlDialect.knexConfig('s', config('mssql')));
    try {
      // tedious hands each row over as cells {value, metadata}; DATETIMEOFFSET is the instant,
      // DATETIME2 (useUTC) its stored fields as UTC fields.
      const cells = [
        { value: 7, metadata: { colName: 'ID', type: TYPES.Int } },
        {
          value: new Date('2024-02-29T23:00:00Z'),
          metadata: { colName: 'FZRQ', type: TYPES.DateTimeOffset },
        },
        { value: new Date('2024-03-01T23:30:00Z'), metadata: { colName: 'GXSJ', type: TYPES.DateTime2 } },
      ];
      const client = db.client as { processResponse(q: unknown, runner: unknown): unknown };
      const [raw] = client.processResponse({ method: 'select', response: [cells] }, {}) as Record<
        string,
        unknown
      >[];
      const row = queryRow(mssqlDialect, raw as Record<string, unknown>);
      expect(isZonedInstant(row.FZRQ)).toBe(true);
      expect(isZonedInstant(row.GXSJ)).toBe(false);
      expect(mapped(row)).toMatchObject(expected);
    } finally {
      await db.destroy();
    }
  });
});

describe('Oracle query streams (node-oracledb dbType)', () => {
  it('TIMESTAMP WITH [LOCAL] TIME ZONE is marked and issued on 2024-03-01; DATE and TIMESTAMP are not', async () => {
    await oracleDialect.knexConfig('o', config('oracle'));
    const handler = oracledb.fetchTypeHandler as
      | ((m: { name: string; dbType: unknown }) => { converter?: (v: unknown) => unknown } | undefined)
      | undefined;
    expect(typeof handler).toBe('function');
    const fetched = (name: string, dbType: unknown, value: unknown): unknown => {
      const converter = handler?.({ name, dbType })?.converter;
      return converter ? converter(value) : value;
    };
    for (const dbType of [oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_TIMESTAMP_LTZ]) {
      const row = queryRow(oracleDialect, {
        FZRQ: fetched('FZRQ', dbType, new Date('2024-02-29T23:00:00Z')),
        // node-oracledb builds a DATE in the host's zone.
        GXSJ: fetched('GXSJ', oracledb.DB_TYPE_DATE, new Date(2024, 2, 1, 23, 30)),
      });
      expect(isZonedInstant(row.FZRQ)).toBe(true);
      expect((row.FZRQ as Date).toISOString()).toBe('2024-02-29T23:00:00.000Z');
      expect(isZonedInstant(row.GXSJ)).toBe(false);
      expect((row.GXSJ as Date).toISOString()).toBe('2024-03-01T23:30:00.000Z');
      expect(mapped(row)).toMatchObject(expected);
    }
    expect(handler?.({ name: 'T', dbType: oracledb.DB_TYPE_TIMESTAMP })).toBeUndefined();
    expect(handler?.({ name: 'N', dbType: oracledb.DB_TYPE_NUMBER })).toBeUndefined();
  });
});

describe('DM query streams (dmdb extended metaData)', () => {
  it('TIMESTAMP WITH TIME ZONE text becomes its marked instant; zone-less text and VARCHAR stay text', () => {
    // dmdb with fetchAsString: rows as objects of text, the column types in resultSet.metaData
    // when the statement asks for extendedMetaData (DATETIME_TZ 23, DATETIME2_TZ 27, VARCHAR 2).
    const results = {
      rows: [
        {
          ID: '7',
          FZRQ: '2024-03-01 07:00:00.123456 +08:00',
          FZRQ2: '2024-03-01 00:00:00 +08:00',
          GXSJ: '2024-03-01 23:30:00',
          BZ: '2024-03-01 07:00:00 +08:00',
        },
      ],
      resultSet: {
        metaData: [
          { name: 'ID', dbType: 7, dbTypeName: 'INT' },
          { name: 'FZRQ', dbType: 27, dbTypeName: 'TIMESTAMP WITH TIME ZONE' },
          { name: 'FZRQ2', dbType: 23, dbTypeName: 'DATETIME WITH TIME ZONE' },
          { name: 'GXSJ', dbType: 26, dbTypeName: 'TIMESTAMP' },
          { name: 'BZ', dbType: 2, dbTypeName: 'VARCHAR' },
        ],
      },
    };
    markZonedDmRows(results);
    const row = queryRow(dmDialect, results.rows[0] as Record<string, unknown>);
    expect(isZonedInstant(row.FZRQ)).toBe(true);
    expect((row.FZRQ as Date).toISOString()).toBe('2024-02-29T23:00:00.123Z');
    expect(isZonedInstant(row.FZRQ2)).toBe(true);
    expect(row.BZ).toBe('2024-03-01 07:00:00 +08:00');
    expect(row.GXSJ).toBe('2024-03-01 23:30:00');
    // 00:00 +08:00 is 2024-02-29T16:00Z: issued on 2024-03-01 only when read as the instant.
    for (const column of ['FZRQ', 'FZRQ2']) {
      const out = issueOnly.map({ FZRQ: row[column] } as never, { today: '2024-06-15' });
      expect(out.ok ? out.fields : out.reasons, column).toMatchObject({ issueDate: '2024-03-01' });
    }
    // A table stream's declared type still reads the text the client left alone.
    const n = dmDialect.normalise as NonNullable<SqlDialect['normalise']>;
    expect(n(row.FZRQ, 'TIMESTAMP(6) WITH TIME ZONE')).toBe(row.FZRQ);
  });
});
