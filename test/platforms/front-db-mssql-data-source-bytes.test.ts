/**
 * A SQL Server `DATA_SOURCE` declared `varchar(20)` holds 20 bytes of its collation's code page
 * (2 a Chinese character in Chinese_PRC_CI_AS, 3 in a `_UTF8` collation), so a unit's name in
 * Chinese that fits by characters passed the width check and every row was then refused and
 * retried. No SQL Server runs in the tests: knex's SQL Server client runs against a stand-in that
 * answers the catalog and measures `DATALENGTH` in the collation the statement names, and the
 * statements it was sent are read.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { checkExchangeColumns } from '../../adapters/platforms/front-db/exchange-columns.js';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { dataSourceBytesQuery } from '../../adapters/platforms/front-db/exchange-widths.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';

const deadline: StatementDeadline = { remainingMs: () => 5_000, cancel: false };

/** Bytes of `text` in the code page of `collation`: 936 (GBK) for Chinese_PRC, UTF-8 for `_UTF8`. */
function bytesIn(collation: string, text: string): number {
  if (/_UTF8$/i.test(collation)) return Buffer.byteLength(text, 'utf8');
  if (/^Chinese_PRC/i.test(collation))
    return [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x7f ? 2 : 1), 0);
  throw new Error(`stand-in knows no collation ${collation}`);
}

type Query = { sql: string; bindings?: unknown[]; response?: unknown };

/** knex's SQL Server client answered by a stand-in catalog: `DATA_SOURCE` a `type`(`width`) in `collation`. */
function standIn(type: string, width: number, collation: string | null): { k: Knex; sent: string[] } {
  const sent: string[] = [];
  const probe = knexModule({ client: 'mssql' });
  const Base = probe.client.constructor as new (config: unknown) => object;
  // tedious hands rows over as lists of columns with their metadata.
  const rowsOf = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.entries(r).map(([colName, value]) => ({ metadata: { colName }, value })));
  class StandIn extends Base {
    async acquireConnection() {
      return {};
    }
    async releaseConnection() {}
    async _query(_c: unknown, q: Query): Promise<Query> {
      sent.push(q.sql);
      let rows: Record<string, unknown>[] = [];
      if (/INFORMATION_SCHEMA\]?\.\[?COLUMNS/.test(q.sql)) {
        rows = [
          { name: COLUMNS.key, maxLength: 200, type: 'varchar', collation },
          { name: COLUMNS.dataSource, maxLength: width, type, collation },
        ];
      } else if (/datalength/i.test(q.sql)) {
        const named = /collate (\w+)/i.exec(q.sql)?.[1] ?? '';
        const value = String(q.bindings?.find((b) => typeof b === 'string'));
        rows = [{ bytes: bytesIn(named, value) }];
      }
      q.response = rowsOf(rows);
      return q;
    }
  }
  return { k: knexModule({ client: StandIn as unknown as typeof knexModule.Client }), sent };
}

const check = (k: Knex, dataSource: string) =>
  checkExchangeColumns(k, {
    target: 'city',
    client: 'mssql',
    table: 'UP_LIC_DATA',
    dataSource,
    deadline,
  }).then(
    () => undefined,
    (e: Error) => e,
  );

// 10 characters: 20 bytes in code page 936, 30 in UTF-8.
const UNIT = '潍坊市市场监督管理局';

describe('front-db on SQL Server: the width of a varchar DATA_SOURCE', () => {
  it('refuses a dataSource that fits by characters and not by the bytes of the column’s code page', async () => {
    const { k, sent } = standIn('varchar', 16, 'Chinese_PRC_CI_AS');
    const error = await check(k, UNIT);
    expect(error?.message).toBe(
      `target city: \`targets.city.dataSource\` is 20 bytes (\`${UNIT}\`), and column DATA_SOURCE of exchange table UP_LIC_DATA holds 16 bytes: every row would be refused or stored cut; fix the value, or widen the column; nothing was delivered`,
    );
    // Measured by the database, converted in the column's own collation.
    expect(sent.find((s) => /datalength/i.test(s))).toMatch(
      /datalength\(cast\(@p\d+ collate Chinese_PRC_CI_AS as varchar\(8000\)\)\)/,
    );
    const utf8 = await check(standIn('varchar', 24, 'Chinese_PRC_CI_AS_SC_UTF8').k, UNIT);
    expect(utf8?.message).toMatch(/is 30 bytes .* holds 24 bytes: every row/);
  });

  it('takes it when the column holds its bytes, or counts characters (nvarchar)', async () => {
    expect(await check(standIn('varchar', 20, 'Chinese_PRC_CI_AS').k, UNIT)).toBeUndefined();
    expect(await check(standIn('nvarchar', 10, 'Chinese_PRC_CI_AS').k, UNIT)).toBeUndefined();
    const ascii = standIn('varchar', 18, 'Chinese_PRC_CI_AS');
    expect(await check(ascii.k, '11370211MB1234567X')).toBeUndefined();
    expect(ascii.sent.some((s) => /datalength/i.test(s))).toBe(false);
  });

  it('counts characters against an nvarchar column, and when the collation is none it can name', async () => {
    expect((await check(standIn('nvarchar', 9, 'Chinese_PRC_CI_AS').k, UNIT))?.message).toMatch(
      /is 10 characters .* holds 9: every row/,
    );
    const odd = standIn('varchar', 9, 'Chinese PRC; drop table x');
    expect((await check(odd.k, UNIT))?.message).toMatch(/is 10 characters .* holds 9: every row/);
    expect(odd.sent.some((s) => /datalength/i.test(s))).toBe(false);
  });
});

describe('front-db on DM: the width of a VARCHAR DATA_SOURCE', () => {
  const k = knexModule({ client: 'oracledb' });
  it('measures bytes unless the instance counts characters, or the column says CHAR', () => {
    const sql = dataSourceBytesQuery(k, 'dm', { type: 'VARCHAR', maxLength: 20 }, UNIT)?.toSQL().sql;
    expect(sql).toMatch(
      /case when sf_get_length_in_char\(\) = 0 then lengthb\(\?\) end as "bytes" from "DUAL"/,
    );
    expect(dataSourceBytesQuery(k, 'dm', { type: 'VARCHAR', charUsed: 'C' }, UNIT)).toBeUndefined();
    expect(dataSourceBytesQuery(k, 'dm', { type: 'NVARCHAR' }, UNIT)).toBeUndefined();
  });
});
