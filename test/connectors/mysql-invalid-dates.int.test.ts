/**
 * MySQL and MariaDB under `ALLOW_INVALID_DATES` (and MySQL 5 servers run loosely) store any day
 * 1-31 in any month: `2024-02-30`, `2024-04-31`. Such a value was turned into a Date that rolled
 * into the next month — a license's end date became 2024-03-01, a real day the source never
 * held. It is kept as the text stored, as the zero date is, for the mapping to refuse.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
  await c.query('CREATE TABLE T_XKZ (ID INT PRIMARY KEY, YXQZ DATE, GXSJ DATETIME(6))');
  await c.query(`INSERT INTO T_XKZ VALUES
    (1, '2024-02-30', '2023-02-29 10:00:00.000001'),
    (2, '2024-04-31', '2024-06-31 23:59:59'),
    (3, '2024-02-29', '2024-02-29 08:30:00.5')`);
});

describe('mysql days a month does not have', () => {
  it('keeps them as the text stored instead of the next month, and reads real days as dates', async () => {
    const rows = (await readAll(legacy.source, { table: 'T_XKZ', key: 'ID', cursor: 'GXSJ' }, 500)).flatMap(
      (p) => p.rows,
    );
    const byKey = new Map(rows.map((r) => [r.key, r.values]));
    expect(byKey.get('1')).toMatchObject({ YXQZ: '2024-02-30', GXSJ: '2023-02-29 10:00:00.000001' });
    expect(byKey.get('2')).toMatchObject({ YXQZ: '2024-04-31', GXSJ: '2024-06-31 23:59:59.000000' });
    const real = byKey.get('3');
    expect(real?.YXQZ).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(real?.GXSJ).toEqual(new Date('2024-02-29T08:30:00.500Z'));
  });
});
