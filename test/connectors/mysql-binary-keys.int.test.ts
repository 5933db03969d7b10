/**
 * MySQL and MariaDB BINARY and VARBINARY keys and cursors: a UUID kept as BINARY(16), a hash as
 * VARBINARY, a change counter as BINARY(8). mysql2 hands their bytes over, and the checkpoint
 * writes them as `\x` and hex (values.ts); that text was bound back as it is, a string of ASCII
 * compared byte by byte with the column's bytes: a page ending at 0x41 resumed after the bytes of
 * `\x41` (0x5C 0x78 0x34 0x31), passing over every key between, and one ending above 0x5C resumed
 * below it, reading pages again.
 */
import { describe, expect, it } from 'vitest';
import { digestsFromPages, digestsInDb } from './bucket-folds.js';
import { keysReadInRuns } from './float-runs.js';
import { mariadbSource } from './legacy-sources.js';

const KEYS = ['00ff', '0a1b', '41', '4142', '5c78', '5c7830', '7f', '80', 'c2b3', 'ff', 'ff00'];

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_VB (ID VARBINARY(16) PRIMARY KEY, MC VARCHAR(10))');
  await c.query('CREATE TABLE T_B (ID INT PRIMARY KEY, GXSJ BINARY(2) NOT NULL)');
  for (const [i, k] of KEYS.entries()) {
    await c.query(`INSERT INTO T_VB VALUES (X'${k}', ?)`, [`n${i}`]);
    await c.query(`INSERT INTO T_B VALUES (?, X'${k.slice(0, 4).padEnd(4, '0')}')`, [i + 1]);
  }
});

describe('mysql BINARY and VARBINARY keys and cursors', () => {
  it('reads every VARBINARY key once, one page per run', async () => {
    const expected = KEYS.map((k) => `\\x${k}`);
    for (const size of [1, 2]) {
      const keys = await keysReadInRuns(legacy.source, { table: 'T_VB', key: 'ID' }, size);
      expect(keys, `page size ${size}`).toEqual(expected);
    }
  });

  it('reads every row of a BINARY cursor once', async () => {
    const [rows] = (await legacy.fresh.conn.query('SELECT ID FROM T_B ORDER BY GXSJ, ID')) as unknown as [
      { ID: number }[],
    ];
    const expected = rows.map((r) => String(r.ID));
    for (const size of [1, 3]) {
      const stream = { table: 'T_B', key: 'ID', cursor: 'GXSJ' };
      expect(await keysReadInRuns(legacy.source, stream, size), `page size ${size}`).toEqual(expected);
    }
  });

  it('buckets a VARBINARY key inside the database as the ledger buckets the key read', async () => {
    const stream = { table: 'T_VB', key: 'ID' };
    const { digests } = await digestsFromPages(legacy.source, stream, 8, 4);
    expect(await digestsInDb(legacy.source, stream, 8)).toEqual(digests);
  });
});
