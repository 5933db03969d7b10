/**
 * A look-up by key (`readKeys`) on MariaDB over a utf8mb3 key column, which holds up to U+FFFF,
 * with a key above it (`𠀀001`, repaired via GB18030) in the same chunk as keys held as proper
 * text. A query stream's column has no catalog entry: the look-up binds every spelling, is refused
 * (Illegal mix of collations) and is asked again with the spellings up to U+FFFF, which keep the
 * proper text of every other key; narrowed to the latin1 spellings at once, a duplicated key read
 * as one clean row. A table stream's catalog says utf8mb3, and its look-up is never refused: the
 * spellings above U+FFFF are left out before it is asked, and nothing is narrowed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { cp1252 } from './garbled-keys.js';
import { mariadbConfig } from './legacy-sources.js';
import { createMariadbDatabase, type FreshMariadb } from './servers.js';

const charset = { repair: ['XKZBH'], from: 'gb18030' } as const;
const ASTRAL = '𠀀001';
const PROPER = '鲁食药监餐证字001';
const TWICE = '中国003';
const TABLE = `T_XKZ_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const table: StreamSpec = { table: TABLE, key: 'XKZBH', cursor: 'GXSJ' };
const query: StreamSpec = { ...table, query: `SELECT XKZBH, MC, GXSJ FROM ${TABLE}` };

let fresh: FreshMariadb | undefined;
let source: SourceConnector | undefined;
const lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  fresh = await createMariadbDatabase();
  await fresh.conn.query(
    `CREATE TABLE ${TABLE} (XKZBH varchar(40) CHARACTER SET utf8mb3 PRIMARY KEY, MC varchar(20), GXSJ datetime(6))`,
  );
  for (const [k, mc] of [
    [cp1252(ASTRAL, 'gb18030'), 'astral'],
    [cp1252(TWICE), 'garbled'],
    [TWICE, 'proper'],
    [PROPER, 'proper'],
  ])
    await fresh.conn.query(`INSERT INTO ${TABLE} VALUES (?, ?, ?)`, [k, mc, '2024-01-01 00:00:01']);
  const logger = createLogger({
    level: 'debug',
    destination: { write: (l: string) => lines.push(JSON.parse(l)) } as unknown as NodeJS.WritableStream,
  });
  source = await openSource('legacy', mariadbConfig(fresh.database, { charset }), { logger });
});
afterAll(async () => {
  await source?.close();
  await fresh?.drop();
});
beforeEach(() => {
  lines.length = 0;
});

async function lookedUp(stream: StreamSpec, keys: string[]): Promise<string[]> {
  if (!source?.readKeys) throw new Error('the mysql source reads keys');
  const read = await source.readKeys(stream, keys);
  return read.rows.map((r) => r.key).sort();
}

const narrowed = () => lines.filter((l) => String(l.msg).includes('asked again'));

describe('MariaDB: a query stream over a utf8mb3 key column and a key above U+FFFF', () => {
  it('reads both rows of a key held twice, with or without the key above U+FFFF in the chunk', async () => {
    expect(await lookedUp(query, [TWICE])).toEqual([TWICE, TWICE]);
    expect(await lookedUp(query, [ASTRAL, TWICE])).toEqual([ASTRAL, TWICE, TWICE].sort());
  });

  it('finds a key held as proper text beside the key above U+FFFF', async () => {
    expect(await lookedUp(query, [PROPER])).toEqual([PROPER]);
    expect(await lookedUp(query, [ASTRAL, PROPER])).toEqual([ASTRAL, PROPER].sort());
  });

  it('says once that the look-up was narrowed, and to what, without a key', async () => {
    await lookedUp(query, [ASTRAL, PROPER, TWICE]);
    expect(narrowed()).toHaveLength(1);
    expect(narrowed()[0]?.narrowedTo).toBe('U+FFFF');
    const said = JSON.stringify(narrowed());
    for (const k of [ASTRAL, PROPER, TWICE, cp1252(TWICE)]) expect(said).not.toContain(k);
  });
});

describe('MariaDB: a table stream over a utf8mb3 key column and a key above U+FFFF', () => {
  it('finds a key held as proper text beside it, asked once without narrowing', async () => {
    expect(await lookedUp(table, [ASTRAL, PROPER, TWICE])).toEqual([ASTRAL, PROPER, TWICE, TWICE].sort());
    expect(narrowed()).toEqual([]);
  });
});
