/**
 * MySQL and MariaDB float cursors and keys. A cursor's checkpoint is the server's text of the value
 * (`CAST(col AS CHAR)`), bound back as text the server compares with the column as a double.
 * DOUBLE prints as the shortest text that reads back as the same double: exact. FLOAT is single
 * precision and prints six significant digits (123456.789 as `123457`, 16777218 as `16777200`),
 * and the mysql2 driver reads its values from that same text: a page ending at 123456.789 resumed
 * after 123457, passing over the rows tied with it and those up to the printed value, and one
 * ending at 0.1 resumed after the double 0.1, which the stored single (0.10000000149011612) is
 * above: the page was read again, for ever. Widened to a double (`col + 0E0`), a FLOAT prints
 * exactly and compares equal to the text it printed.
 */
import { describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { DOUBLES, expectEveryPageSize, keysReadInRuns, SINGLES } from './float-runs.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_D (ID INT PRIMARY KEY, GX DOUBLE NOT NULL)');
  await c.query('CREATE TABLE T_F (ID INT PRIMARY KEY, GX FLOAT NOT NULL, MJ FLOAT(12,3))');
  await c.query('CREATE TABLE T_FK (ID FLOAT PRIMARY KEY, MC VARCHAR(20))');
  await c.query('CREATE TABLE T_DK (ID DOUBLE PRIMARY KEY, MC VARCHAR(30))');
  for (const [i, v] of DOUBLES.entries()) await c.query('INSERT INTO T_D VALUES (?, ?)', [i + 1, v]);
  for (const [i, v] of SINGLES.entries()) {
    await c.query(`INSERT INTO T_F VALUES (?, ${Number(v)}, ${Number(v)})`, [i + 1]);
  }
  for (const v of new Set(SINGLES)) await c.query(`INSERT INTO T_FK VALUES (${Number(v)}, ?)`, [v]);
  for (const v of new Set(DOUBLES)) await c.query('INSERT INTO T_DK VALUES (?, ?)', [v, String(v)]);
});

/** Keys in the server's own order. */
async function expected(sql: string): Promise<string[]> {
  const [rows] = (await legacy.fresh.conn.query(sql)) as unknown as [{ ID: number | string }[]];
  return rows.map((r) => String(r.ID));
}

describe('mysql float cursors and keys across incremental runs', () => {
  it('reads every row of a DOUBLE cursor once, ties and neighbours included', async () => {
    const order = await expected('SELECT ID FROM T_D ORDER BY GX, ID');
    await expectEveryPageSize(legacy.source, { table: 'T_D', key: 'ID', cursor: 'GX' }, order);
  });

  it('reads every row of a FLOAT cursor once', async () => {
    const order = await expected('SELECT ID FROM T_F ORDER BY GX, ID');
    await expectEveryPageSize(legacy.source, { table: 'T_F', key: 'ID', cursor: 'GX' }, order);
    const scaled = await expected('SELECT ID FROM T_F ORDER BY MJ, ID');
    expect(await keysReadInRuns(legacy.source, { table: 'T_F', key: 'ID', cursor: 'MJ' }, 2)).toEqual(scaled);
  });

  it('reads every DOUBLE key once, each as its own key', async () => {
    const read = await keysReadInRuns(legacy.source, { table: 'T_DK', key: 'ID' }, 2);
    expect(read.map(Number)).toEqual([...new Set(DOUBLES)].sort((a, b) => a - b));
  });

  it('reads every FLOAT key once, each as its own key, and FLOAT values as the singles stored', async () => {
    const read = await keysReadInRuns(legacy.source, { table: 'T_FK', key: 'ID' }, 2);
    // 123456.789 is the single 123456.7890625, whose shortest text is 123456.79.
    expect(read).toEqual(['-2.5', '0.1', '1.1', '123456.79', '123456.8', '16777216', '16777218']);
    const [rows] = (await legacy.fresh.conn.query('SELECT COUNT(*) AS n FROM T_FK')) as unknown as [
      { n: number }[],
    ];
    expect(read).toHaveLength(Number(rows[0]?.n));
  });

  it("hands a FLOAT(M,D) value and key over as the server prints them, at the column's scale", async () => {
    // Stored rounded to the scale, then as a single: 123456.789 is 123456.7890625, which the server
    // prints (and the department's application shows) as 123456.789, not as its shortest 123456.79;
    // 136020.06 is 136020.0625, printed half to even as 136020.062.
    await legacy.fresh.conn.query(
      'CREATE TABLE T_FS (ID INT PRIMARY KEY, A FLOAT(12,3), D FLOAT(30,10) UNSIGNED)',
    );
    await legacy.fresh.conn.query('CREATE TABLE T_FSK (ID FLOAT(12,3) PRIMARY KEY, MC VARCHAR(20))');
    const values = [123456.789, 123456.8, -136020.06, 696756.06, 0.125, 9999.99, 16777217, 1.1, 0.1];
    for (let i = 0; i < 300; i++) values.push(Number((((i * 7919) % 2000003) / 7 - 99999).toFixed(3)));
    for (const [i, v] of values.entries()) {
      await legacy.fresh.conn.query(`INSERT INTO T_FS VALUES (?, ${v}, ${Math.abs(v) / 3})`, [i + 1]);
      await legacy.fresh.conn.query(`INSERT IGNORE INTO T_FSK VALUES (${v}, 'x')`);
    }
    const [printed] = (await legacy.fresh.conn.query(
      'SELECT ID, CAST(A AS CHAR) AS A, CAST(D AS CHAR) AS D FROM T_FS ORDER BY ID',
    )) as unknown as [{ ID: number; A: string; D: string }[]];
    const read = new Map<string, Record<string, unknown>>();
    for await (const page of legacy.source.read({
      stream: { table: 'T_FS', key: 'ID' },
      after: null,
      pageSize: 500,
    }))
      for (const row of page.rows) read.set(row.key, row.values);
    expect(read.size).toBe(printed.length);
    for (const p of printed) {
      expect(read.get(String(p.ID))?.A, `A of row ${p.ID}`).toBe(Number(p.A));
      expect(read.get(String(p.ID))?.D, `D of row ${p.ID}`).toBe(Number(p.D));
    }
    const keys = await keysReadInRuns(legacy.source, { table: 'T_FSK', key: 'ID' }, 7);
    const [stored] = (await legacy.fresh.conn.query(
      'SELECT CAST(ID AS CHAR) AS ID FROM T_FSK ORDER BY T_FSK.ID',
    )) as unknown as [{ ID: string }[]];
    expect(keys).toEqual(stored.map((r) => String(Number(r.ID))));
  });

  it('fingerprints a FLOAT past its sixth digit: a change there is a change', async () => {
    await legacy.fresh.conn.query('CREATE TABLE T_FP (ID INT PRIMARY KEY, MJ FLOAT)');
    await legacy.fresh.conn.query('INSERT INTO T_FP VALUES (1, 123456.789)');
    const fingerprint = async () => {
      for await (const page of legacy.source.read({
        stream: { table: 'T_FP', key: 'ID' },
        after: null,
        pageSize: 2,
      }))
        return page.fingerprints?.get('1');
    };
    const before = await fingerprint();
    await legacy.fresh.conn.query('UPDATE T_FP SET MJ = 123456.8');
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    expect(await fingerprint()).not.toBe(before);
  });

  it('refuses a query stream whose cursor is FLOAT, naming source, column and type, never a value', async () => {
    const stream = { table: 'q_f', key: 'ID', cursor: 'GX', query: 'SELECT ID, GX FROM T_F' };
    const error = await keysReadInRuns(legacy.source, stream, 2).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_SOURCE_QUERY');
    const message = (error as Error).message;
    expect(message).toContain('source legacy');
    expect(message).toContain('GX');
    expect(message).toContain('FLOAT');
    expect(message).not.toMatch(/123456|16777/);
  });

  it('reads a query stream whose FLOAT cursor the query widens to DOUBLE', async () => {
    const order = await expected('SELECT ID FROM T_F ORDER BY GX, ID');
    const stream = { table: 'q_f', key: 'ID', cursor: 'GX', query: 'SELECT ID, GX + 0E0 AS GX FROM T_F' };
    expect(await keysReadInRuns(legacy.source, stream, 2)).toEqual(order);
  });
});
