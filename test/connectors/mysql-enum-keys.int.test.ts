/**
 * MySQL and MariaDB ENUM and SET keys and cursors: a license kind kept as `ENUM('XK','BA','JY')`,
 * a state as `ENUM('9','1','5')`. MySQL sorts an ENUM by the place of its value in the type's
 * list (a SET by its members' bits) but compares it with text as text: a page ordered `XK`, `BA`,
 * `JY` and ending at `XK` resumed with `K > 'XK'`, which no other key is, and `BA` and `JY` were
 * never read; a page ending at `BA` read `XK`'s rows again. The checkpoint's value is bound back as
 * its place in the list (its bits), which MySQL compares as the ORDER BY sorts.
 */
import { describe, expect, it } from 'vitest';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query(`CREATE TABLE T_E (K ENUM('XK','BA','JY','it''s') PRIMARY KEY, GXSJ DATETIME(6) NOT NULL,
    ZT ENUM('9','1','5') NOT NULL, ID INT NOT NULL UNIQUE, INDEX (ZT, ID))`);
  await c.query(`INSERT INTO T_E VALUES ('XK', '2024-01-01', '9', 1), ('BA', '2024-01-01', '1', 2),
    ('JY', '2024-01-01', '5', 3), ('it''s', '2024-01-01', '9', 4)`);
  await c.query(`CREATE TABLE T_S (K SET('b','a','c') PRIMARY KEY, MC VARCHAR(10))`);
  await c.query(`INSERT INTO T_S VALUES ('a', '1'), ('b', '2'), ('b,a', '3'), ('c', '4'), ('a,c', '5')`);
});

const keysOf = (pages: Page[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

/** Every key once at each page size, and from each page's checkpoint exactly the rest. */
async function readsEachOnce(stream: StreamSpec, expected: string[]): Promise<void> {
  for (const size of [1, 2, 3, expected.length]) {
    const pages = await readAll(legacy.source, stream, size);
    expect(keysOf(pages), `page size ${size}`).toEqual(expected);
    let read = 0;
    for (const page of pages) {
      read += page.rows.length;
      const rest = await readAll(legacy.source, stream, size, page.checkpoint);
      expect(keysOf(rest), `page size ${size}, after ${read} rows`).toEqual(expected.slice(read));
    }
  }
}

describe('mysql ENUM and SET keys and cursors', () => {
  it('reads every ENUM key once, in the order of the type’s list', async () => {
    await readsEachOnce({ table: 'T_E', key: 'K' }, ['XK', 'BA', 'JY', "it's"]);
  });

  it('reads every ENUM key once under one cursor value', async () => {
    await readsEachOnce({ table: 'T_E', key: 'K', cursor: 'GXSJ' }, ['XK', 'BA', 'JY', "it's"]);
  });

  it('reads every row of an ENUM cursor once', async () => {
    await readsEachOnce({ table: 'T_E', key: 'ID', cursor: 'ZT' }, ['1', '4', '2', '3']);
  });

  it('reads every SET key once, in the order of its bits', async () => {
    await readsEachOnce({ table: 'T_S', key: 'K' }, ['b', 'a', 'b,a', 'c', 'a,c']);
  });
});
