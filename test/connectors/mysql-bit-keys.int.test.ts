/**
 * MySQL and MariaDB BIT(n) keys and cursors: a status kept as bit flags, a counter as BIT(64).
 * mysql2 hands a BIT value over as its bytes, and the checkpoint writes them as `\x` and hex
 * (values.ts); that text was bound back as it is, a string MySQL reads as the number 0 to compare
 * with a BIT, so `key > '\x0005'` held for every key: a read of pages smaller than the table never
 * ended, reading its first rows again and again. A BIT cursor's checkpoint was its bytes cast to
 * text (CAST AS CHAR), which is no value. The checkpoint is now bound back as the number the
 * bytes are, which MySQL compares as it orders a BIT.
 */
import { describe, expect, it } from 'vitest';
import { digestsFromPages, digestsInDb } from './bucket-folds.js';
import { keysReadInRuns } from './float-runs.js';
import { mariadbSource } from './legacy-sources.js';

// Bit patterns as hex of a BIT(16), in the order MySQL sorts them (as numbers).
const KEYS = ['0003', '0005', '005c', '0078', '0201', '7fff', '8000', 'ffff'];

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_BIT (K BIT(16) PRIMARY KEY, MC VARCHAR(10))');
  await c.query('CREATE TABLE T_BC (ID INT PRIMARY KEY, BB BIT(12) NOT NULL)');
  for (const [i, k] of [...KEYS].reverse().entries()) {
    await c.query(`INSERT INTO T_BIT VALUES (X'${k}', ?)`, [`n${i}`]);
    await c.query('INSERT INTO T_BC VALUES (?, ?)', [i + 1, Number.parseInt(k, 16) % 4096]);
  }
});

describe('mysql BIT keys and cursors', () => {
  it('reads every BIT key once, one page per run', async () => {
    const expected = KEYS.map((k) => `\\x${k}`);
    for (const size of [1, 3]) {
      const keys = await keysReadInRuns(legacy.source, { table: 'T_BIT', key: 'K' }, size);
      expect(keys, `page size ${size}`).toEqual(expected);
    }
  });

  it('reads every row of a BIT cursor once', async () => {
    const [rows] = (await legacy.fresh.conn.query('SELECT ID FROM T_BC ORDER BY BB, ID')) as unknown as [
      { ID: number }[],
    ];
    const expected = rows.map((r) => String(r.ID));
    for (const size of [1, 3]) {
      const stream = { table: 'T_BC', key: 'ID', cursor: 'BB' };
      expect(await keysReadInRuns(legacy.source, stream, size), `page size ${size}`).toEqual(expected);
    }
  });

  it('buckets a BIT key inside the database as the ledger buckets the key read', async () => {
    const stream = { table: 'T_BIT', key: 'K' };
    const { digests } = await digestsFromPages(legacy.source, stream, 8, 4);
    expect(await digestsInDb(legacy.source, stream, 8)).toEqual(digests);
  });
});
