/**
 * A look-up of charset-repaired keys that MySQL or MariaDB refuses whole for a spelling its key
 * column cannot hold (Illegal mix of collations, errno 1267 / 1270 / 1271): a query stream's
 * column, which has no catalog entry, or a table stream's whose entry misled. The chunk is asked
 * once more by the spellings latin1 holds; any other error stands. No server runs here: each query
 * is compiled by knex for mysql2, and the first refused as the driver refuses it.
 */
import knexModule, { type Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { characterSetHolds, storedSpellings } from '../../connectors/repair/charset.js';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { rowsWithKeys } from '../../connectors/sql/keyed-reads.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import type { PageReading } from '../../connectors/sql/page-reads.js';

const key: ColumnMeta = {
  name: 'XKZBH',
  type: 'varchar(40)',
  nullable: false,
  primaryKey: true,
  unique: true,
  leadsIndex: true,
};
const s: ResolvedStream = {
  table: 'q_xkz',
  query: { sql: 'SELECT XKZBH FROM T_XKZ', params: [] },
  columns: [],
  key,
};
const KEYS = ['中国003', '鲁食药监餐证字001', 'JY001'];
const spell = (k: string) => storedSpellings(k, 'gb18030');

/** A driver error wrapped as the source wraps it, its errno on the cause. */
function refused(errno: number): Error {
  return new Error('source legacy: query failed', { cause: Object.assign(new Error('refused'), { errno }) });
}

function refusingFirst(error: Error): { r: PageReading; sent: unknown[][]; db: Knex } {
  const db = knexModule({ client: 'mysql2', connection: {} });
  const sent: unknown[][] = [];
  const reader = {
    dialect: mysqlDialect,
    db,
    keySpellings: async () => spell,
    read: async (query: (db: Knex) => Knex.QueryBuilder) => {
      sent.push([...query(db).toSQL().bindings]);
      if (sent.length === 1) throw error;
      return [];
    },
  };
  const r = { name: 'legacy', dialect: mysqlDialect, reader, window: undefined, trims: () => true };
  return { r: { ...r, clock: () => new Date() } as unknown as PageReading, sent, db };
}

describe('a look-up refused for an illegal mix of collations', () => {
  let db: Knex | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  for (const errno of [1267, 1270, 1271])
    it(`errno ${errno}: asks once more by the spellings latin1 holds`, async () => {
      const c = refusingFirst(refused(errno));
      db = c.db;
      await rowsWithKeys(c.r, s, KEYS);
      expect(c.sent).toHaveLength(2);
      const latin1 = characterSetHolds('windows-1252');
      const again = new Set(c.sent[1]?.map(String));
      for (const k of KEYS) for (const t of spell(k)) expect(again.has(t), JSON.stringify(t)).toBe(latin1(t));
    });

  it('throws any other error as it was', async () => {
    const error = refused(1146);
    const c = refusingFirst(error);
    db = c.db;
    await expect(rowsWithKeys(c.r, s, KEYS)).rejects.toBe(error);
    expect(c.sent).toHaveLength(1);
  });
});
