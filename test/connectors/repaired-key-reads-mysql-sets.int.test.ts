/**
 * A quarantined row read again by its key (`readKeys`) on MariaDB where the key column's character
 * set does not hold every spelling of the key. A utf8mb3 column holds up to U+FFFF: a GB18030
 * four-byte code repairs to a character above it (`𠀀001`), and binding that against the column
 * refuses the whole look-up (Illegal mix of collations), so no key of it was found. A query
 * stream's key column has no catalog entry: all spellings are bound, and where the column refuses
 * them the look-up is asked again with the spellings up to U+FFFF, then with the Windows-1252
 * spellings latin1 holds (a utf8mb3 column beside proper text: repaired-key-reads-narrowed).
 */
import { describe, expect, it } from 'vitest';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { cp1252 } from './garbled-keys.js';
import { mariadbSource } from './legacy-sources.js';

const charset = { repair: ['XKZBH'], from: 'gb18030' } as const;
const table: StreamSpec = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };
const query: StreamSpec = { ...table, query: 'SELECT XKZBH, MC, GXSJ FROM T_XKZ' };
const ASTRAL = '𠀀001';
const PROPER = '鲁食药监餐证字001';
const CP1252_GARBLED = '中国003';

async function lookedUp(source: SourceConnector, stream: StreamSpec, keys: string[]): Promise<string[]> {
  const read = await source.readKeys?.(stream, keys);
  return (read?.rows.map((r) => r.key) ?? []).sort();
}

function keyTable(columnSet: string, rows: string[][]) {
  return mariadbSource(
    async (c) => {
      await c.query(
        `CREATE TABLE T_XKZ (XKZBH varchar(40) CHARACTER SET ${columnSet} PRIMARY KEY, MC varchar(20), GXSJ datetime(6))`,
      );
      for (const [k, mc] of rows)
        await c.query('INSERT INTO T_XKZ VALUES (?, ?, ?)', [k, mc, '2024-01-01 00:00:01']);
    },
    { charset },
  );
}

describe('MariaDB: a utf8mb3 key column and a key above U+FFFF', () => {
  const legacy = keyTable('utf8mb3', [
    [cp1252(ASTRAL, 'gb18030'), 'astral'],
    [cp1252(CP1252_GARBLED), 'cp1252'],
  ]);

  it('finds the other keys of the look-up, and does not refuse it', async () => {
    const pages = (await readAll(legacy.source, table, 5)).flatMap((p) => p.rows.map((r) => r.key));
    expect(pages.sort()).toEqual([ASTRAL, CP1252_GARBLED].sort());
    expect(await lookedUp(legacy.source, table, [ASTRAL, CP1252_GARBLED])).toEqual(
      [ASTRAL, CP1252_GARBLED].sort(),
    );
  });
});

describe('MariaDB: a query stream over a utf8mb4 key column', () => {
  const legacy = keyTable('utf8mb4', [
    [PROPER, 'proper'],
    [cp1252(CP1252_GARBLED), 'cp1252'],
  ]);

  it('finds a key held as proper text and one garbled', async () => {
    expect(await lookedUp(legacy.source, query, [PROPER, CP1252_GARBLED])).toEqual(
      [PROPER, CP1252_GARBLED].sort(),
    );
  });
});

describe('MariaDB: a query stream over a latin1 key column', () => {
  const legacy = keyTable('latin1', [[cp1252(CP1252_GARBLED), 'cp1252']]);

  it('finds the garbled key, asked again with the spellings latin1 holds', async () => {
    expect(await lookedUp(legacy.source, query, [PROPER, CP1252_GARBLED])).toEqual([CP1252_GARBLED]);
  });
});
