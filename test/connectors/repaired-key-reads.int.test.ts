/**
 * A quarantined row read again by its key (`readKeys`, pipelines/quarantine-recheck.ts) where the
 * key column is under `charset.repair`: license numbers with Chinese in them (`鲁食药监餐证字001`),
 * GBK bytes in a latin1 column, keyed by a run as the repaired text. The look-up bound that text,
 * which the database converts to latin1 to compare (`??????001`): no row was ever found, and a row
 * quarantined for another row's fault (a duplicate renumbered, a predecessor issued since) or for a
 * mapping corrected since stayed in quarantine for good. The key is looked up as it is stored.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { mariadbSource } from './legacy-sources.js';

// Bytes from 0x80 to 0x9F among them, which Windows-1252 (MySQL's latin1) reads as € ‚ ƒ … or,
// 0x81 0x8D 0x8F 0x90 0x9D, leaves unassigned: 丂 81 40, 亐 81 80, 垚 88 90, 堃 88 D2.
const NUMBERS = ['鲁食药监餐证字001', '丂亐垚堃002', 'JY003'];
const stream: StreamSpec = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };

const legacy = mariadbSource(
  async (c) => {
    await c.query(
      'CREATE TABLE T_XKZ (XKZBH varchar(40) CHARACTER SET latin1 PRIMARY KEY, MC varchar(20), GXSJ datetime(6))',
    );
    for (const [i, n] of NUMBERS.entries()) {
      // The GBK bytes as they sit in the latin1 column.
      await c.query('INSERT INTO T_XKZ VALUES (CONVERT(? USING latin1), ?, ?)', [
        iconv.encode(n, 'gbk'),
        `name ${i}`,
        '2024-01-01 00:00:01',
      ]);
    }
  },
  { charset: { repair: ['XKZBH'], from: 'gb18030' } },
);

describe('reads by key of a charset-repaired key', () => {
  it('finds each row by the key a run gives it', async () => {
    const read = await legacy.source.readKeys?.(stream, [...NUMBERS, '鲁食药监餐证字999']);
    expect(read?.rows.map((r) => r.key).sort()).toEqual([...NUMBERS].sort());
    expect(read?.rows.find((r) => r.key === '丂亐垚堃002')?.values.MC).toBe('name 1');
  });
});
