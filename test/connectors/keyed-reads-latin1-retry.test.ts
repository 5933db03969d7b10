/**
 * A look-up of charset-repaired keys that MySQL or MariaDB refuses whole for a spelling its key
 * column cannot hold (Illegal mix of collations, errno 1267 / 1270 / 1271): a query stream's
 * column, which has no catalog entry, or a table stream's whose entry misled. The chunk is asked
 * again by the spellings up to U+FFFF (what a utf8mb3 or ucs2 column holds), refused again by those
 * latin1 holds, refused again the error stands; any other error stands at once. No server runs
 * here: each query is compiled by knex for mysql2, and the first ones refused as the driver refuses.
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
const ASTRAL = '𠀀001';
const KEYS = [ASTRAL, '中国003', '鲁食药监餐证字001', 'JY001'];
const spell = (k: string) => storedSpellings(k, 'gb18030');
const upToFFFF = (t: string) => [...t].every((c) => (c.codePointAt(0) ?? 0) <= 0xffff);
const latin1 = characterSetHolds('windows-1252');

/** A driver error wrapped as the source wraps it, its errno on the cause. */
function refused(errno: number): Error {
  return new Error('source legacy: query failed', { cause: Object.assign(new Error('refused'), { errno }) });
}

interface Refusing {
  r: PageReading;
  sent: unknown[][];
  said: Record<string, unknown>[];
  db: Knex;
}

/** A reader refusing its first look-ups with `errors`, in order, and answering the rest with no row. */
function refusing(errors: Error[], spellings: (k: string) => string[] = spell): Refusing {
  const db = knexModule({ client: 'mysql2', connection: {} });
  const sent: unknown[][] = [];
  const said: Record<string, unknown>[] = [];
  const reader = {
    dialect: mysqlDialect,
    db,
    keySpellings: async () => spellings,
    read: async (query: (db: Knex) => Knex.QueryBuilder) => {
      sent.push([...query(db).toSQL().bindings]);
      const error = errors[sent.length - 1];
      if (error) throw error;
      return [];
    },
  };
  const note = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    said.push({ ...fields, msg, level });
  const logger = () => ({ info: note('info'), debug: note('debug'), warn: note('warn') });
  const r = { name: 'legacy', dialect: mysqlDialect, reader, window: undefined, trims: () => true, logger };
  return { r: { ...r, clock: () => new Date() } as unknown as PageReading, sent, said, db };
}

/** Whether look-up `n` bound exactly the spellings `holds` keeps, of every key. */
function boundHeld(c: Refusing, n: number, holds: (t: string) => boolean): void {
  const bound = new Set(c.sent[n]?.map(String));
  for (const k of KEYS) for (const t of spell(k)) expect(bound.has(t), JSON.stringify(t)).toBe(holds(t));
}

describe('a look-up refused for an illegal mix of collations', () => {
  let db: Knex | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  for (const errno of [1267, 1270, 1271])
    it(`errno ${errno}: asks again by the spellings up to U+FFFF, proper CJK text kept`, async () => {
      const c = refusing([refused(errno)]);
      db = c.db;
      await rowsWithKeys(c.r, s, KEYS);
      expect(c.sent).toHaveLength(2);
      boundHeld(c, 1, upToFFFF);
      expect(c.sent[1]).toContain('鲁食药监餐证字001');
      expect(c.said).toHaveLength(1);
      expect(c.said[0]).toMatchObject({ narrowedTo: 'U+FFFF', keysUnasked: 0, level: 'info' });
    });

  for (const errno of [1267, 1270, 1271])
    it(`errno ${errno}: refused by the spellings up to U+FFFF too, asks by those latin1 holds`, async () => {
      const c = refusing([refused(1267), refused(errno)]);
      db = c.db;
      await rowsWithKeys(c.r, s, KEYS);
      expect(c.sent).toHaveLength(3);
      boundHeld(c, 2, latin1);
      expect(c.said).toHaveLength(1);
      expect(c.said[0]).toMatchObject({ narrowedTo: 'latin1' });
    });

  it('refused by the latin1 spellings too, throws that refusal', async () => {
    const last = refused(1271);
    const c = refusing([refused(1267), refused(1270), last]);
    db = c.db;
    await expect(rowsWithKeys(c.r, s, KEYS)).rejects.toBe(last);
    expect(c.sent).toHaveLength(3);
    // The error says what happened; a line that it was asked again would say it went on.
    expect(c.said).toEqual([]);
  });

  it('keys all up to U+FFFF: asks by the latin1 spellings at once', async () => {
    const c = refusing([refused(1267)]);
    db = c.db;
    await rowsWithKeys(
      c.r,
      s,
      KEYS.filter((k) => k !== ASTRAL),
    );
    expect(c.sent).toHaveLength(2);
    expect(c.sent[1]?.map(String).every(latin1)).toBe(true);
    expect(c.said[0]).toMatchObject({ narrowedTo: 'latin1' });
  });

  it('throws any other error as it was, at the first look-up or a narrowed one', async () => {
    const first = refused(1146);
    const c = refusing([first]);
    db = c.db;
    await expect(rowsWithKeys(c.r, s, KEYS)).rejects.toBe(first);
    expect(c.sent).toHaveLength(1);
    await db.destroy();
    const second = refused(2013);
    const d = refusing([refused(1267), second]);
    db = d.db;
    await expect(rowsWithKeys(d.r, s, KEYS)).rejects.toBe(second);
    expect(d.sent).toHaveLength(2);
  });

  it('a chunk with no key left is not asked, and the log says so without a key', async () => {
    const c = refusing([refused(1267)], (k) => [k]);
    db = c.db;
    expect((await rowsWithKeys(c.r, s, [ASTRAL])).rows).toEqual([]);
    expect(c.sent).toHaveLength(1);
    expect(c.said).toHaveLength(1);
    expect(c.said[0]).toMatchObject({ narrowedTo: 'U+FFFF', keysUnasked: 1, chunksUnasked: 1 });
    // Keys left quarantined for good: a warning, which names a clash of collations as a cause.
    expect(c.said[0]).toMatchObject({ level: 'warn', msg: expect.stringContaining('COLLATE') });
    expect(JSON.stringify(c.said)).not.toContain(ASTRAL);
  });
});
