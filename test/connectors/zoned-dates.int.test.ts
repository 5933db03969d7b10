/**
 * Zoned and zone-less dates from a real PostgreSQL, read through the connector and mapped with the
 * `date` transform. A timestamptz is an instant: 2024-03-01 07:00+08 is 2024-02-29T23:00Z, and
 * unmarked its UTC day put every issue time between 00:00 and 08:00 Beijing on the day before.
 * The dialect marks it (core/local-date.ts zonedInstant) by type OID, in table and query streams
 * alike; timestamp and date columns are wall-clock values and keep their stored day.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceRow } from '../../connectors/source.js';
import { isZonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { PG } from './servers.js';

const schema = `lb_zoned_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const client = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.database });

beforeAll(async () => {
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(
    `CREATE TABLE ${schema}."T_XKZ" ("ID" integer PRIMARY KEY, "FZRQ" timestamptz, "GXSJ" timestamp, "RQ" date)`,
  );
  await client.query(
    `INSERT INTO ${schema}."T_XKZ" VALUES
       (1, '2024-03-01 07:00:00+08', '2024-03-01 23:30:00', '2024-03-01'),
       (2, '2024-03-01 00:00:00+08', '2024-03-01 00:00:00', '2024-03-01')`,
  );
});

afterAll(async () => {
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
});

const mapping = compileMappingText(
  [
    'fields:',
    '  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }] }',
    '  validFrom: { from: GXSJ, transform: [{ date: [yyyyMMdd] }] }',
    '  validTo: { from: RQ, transform: [{ date: [yyyyMMdd] }] }',
    '',
  ].join('\n'),
  '/maps/zoned.yaml',
);

function mapped(row: SourceRow): unknown {
  const out = mapping.map(row.values, { today: '2024-06-15' });
  return out.ok ? out.fields : out.reasons;
}

async function rowsOf(
  stream: { table: string; key: string; query?: string },
  kind: 'postgres' | 'kingbase' = 'postgres',
): Promise<SourceRow[]> {
  const connector = await openSource('zoned', pgFamilyConfig(kind, PG.database));
  try {
    const pages = await readAll(connector, stream, 10);
    return pages.flatMap((p) => p.rows);
  } finally {
    await connector.close();
  }
}

const expected = { issueDate: '2024-03-01', validFrom: '2024-03-01', validTo: '2024-03-01' };

describe('postgres dates through the connector and the date transform', () => {
  it('a table stream: timestamptz 07:00+08 and 00:00+08 are issued on 2024-03-01, timestamp and date keep their day', async () => {
    const rows = await rowsOf({ table: `${schema}.T_XKZ`, key: 'ID' });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(isZonedInstant(row.values.FZRQ)).toBe(true);
      expect(isZonedInstant(row.values.GXSJ)).toBe(false);
      expect(isZonedInstant(row.values.RQ)).toBe(false);
      expect(mapped(row)).toMatchObject(expected);
    }
  });

  it('a query stream, with no declared types, is marked by the type the server reports', async () => {
    const rows = await rowsOf({
      table: 'xkz',
      key: 'ID',
      query: `SELECT "ID", "FZRQ", "GXSJ", "RQ" FROM ${schema}."T_XKZ"`,
    });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(isZonedInstant(row.values.FZRQ)).toBe(true);
      expect(mapped(row)).toMatchObject(expected);
    }
  });

  it('KingbaseES, read through the same node-postgres parsers, marks its timestamptz too', async () => {
    // A query stream: the kingbase dialect's sys_* catalog is not there on PostgreSQL.
    const rows = await rowsOf(
      { table: 'xkz', key: 'ID', query: `SELECT "ID", "FZRQ", "GXSJ", "RQ" FROM ${schema}."T_XKZ"` },
      'kingbase',
    );
    expect(rows.map((r) => isZonedInstant(r.values.FZRQ))).toEqual([true, true]);
    expect(rows.map(mapped)).toMatchObject([expected, expected]);
  });

  it('a timestamptz cursor still pages and resumes as text at full precision', async () => {
    const connector = await openSource('zoned', pgFamilyConfig('postgres', PG.database));
    try {
      const pages = await readAll(connector, { table: `${schema}.T_XKZ`, key: 'ID', cursor: 'FZRQ' }, 1);
      const rows = pages.flatMap((p) => p.rows);
      expect(rows.map((r) => r.key)).toEqual(['2', '1']);
      expect(rows.every((r) => isZonedInstant(r.values.FZRQ))).toBe(true);
    } finally {
      await connector.close();
    }
  });
});
