/**
 * An Oracle `DATA_SOURCE` of byte semantics (VARCHAR2(20), Oracle's default NLS_LENGTH_SEMANTICS):
 * its width counts bytes in the database's character set, so a unit's name in Chinese fits by
 * characters and not by bytes, and every row was refused (ORA-12899) and retried. No Oracle server
 * runs in the tests: knex's Oracle client runs against a stand-in that answers the catalog and
 * counts `LENGTHB` as an AL32UTF8 database does.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { checkExchangeColumns } from '../../adapters/platforms/front-db/exchange-columns.js';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';

const deadline: StatementDeadline = { remainingMs: () => 5_000, cancel: false };

/** knex's Oracle client answered by a stand-in catalog: `DATA_SOURCE` of `width` in `charUsed`. */
function standIn(width: number, charUsed: 'B' | 'C'): Knex {
  const k = knexModule({ client: 'oracledb' });
  const answer = (sql: string, bindings: unknown[]): unknown[] => {
    if (/ALL_TAB_COLUMNS/.test(sql)) {
      return [
        { name: COLUMNS.key, maxLength: 200, type: 'VARCHAR2', charUsed },
        { name: COLUMNS.dataSource, maxLength: width, type: 'VARCHAR2', charUsed },
      ];
    }
    if (/lengthb/i.test(sql)) return [{ bytes: Buffer.byteLength(String(bindings[0]), 'utf8') }];
    return [];
  };
  const connection = {
    executeAsync: async (sql: string, bindings: unknown[]) => {
      const rows = answer(sql, bindings);
      return { rows, rowsAffected: rows.length };
    },
    commitAsync: async () => {},
    rollbackAsync: async () => {},
  };
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => {};
  return k;
}

const check = (k: Knex, dataSource: string) =>
  checkExchangeColumns(k, {
    target: 'city',
    client: 'oracle',
    table: 'UP_LIC_DATA',
    dataSource,
    deadline,
  }).then(
    () => undefined,
    (e: Error) => e,
  );

// 10 characters, 30 bytes in AL32UTF8.
const UNIT = '潍坊市市场监督管理局';

describe('front-db on Oracle: the width of DATA_SOURCE', () => {
  it('refuses a dataSource that fits by characters and not by bytes, in bytes', async () => {
    const error = await check(standIn(20, 'B'), UNIT);
    expect(error?.message).toBe(
      `target city: \`targets.city.dataSource\` is 30 bytes (\`${UNIT}\`), and column DATA_SOURCE of exchange table UP_LIC_DATA holds 20 bytes: every row would be refused or stored cut; fix the value, or widen the column; nothing was delivered`,
    );
  });

  it('takes it when the column counts characters, or holds its bytes', async () => {
    expect(await check(standIn(20, 'C'), UNIT)).toBeUndefined();
    expect(await check(standIn(30, 'B'), UNIT)).toBeUndefined();
    expect(await check(standIn(18, 'B'), '11370211MB1234567X')).toBeUndefined();
  });

  it('still counts characters against a column of character semantics', async () => {
    const error = await check(standIn(9, 'C'), UNIT);
    expect(error?.message).toMatch(/is 10 characters .* holds 9: every row/);
  });
});
