/**
 * A MySQL or MariaDB table with a spatial column (a business premises' location, 经营场所坐标, as
 * POINT). The in-database row fingerprint selected with every page cast each column that is not
 * text to CHAR, which MariaDB refuses for a geometry (`Illegal parameter data type point for
 * operation 'cast_as_char'`): every page of such a table failed, and the stream was never read.
 * The geometry is fingerprinted by its stored bytes (HEX), as text and bytes are.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { digestsInDb } from './bucket-folds.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_CS (ID INT PRIMARY KEY, MC VARCHAR(20), ZB POINT, FW POLYGON, DW GEOMETRY)');
  await c.query(
    "INSERT INTO T_CS VALUES (1, '甲店', POINT(120.1, 36.0), NULL, POINT(1, 2)), (2, '乙店', NULL, ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'), NULL), (3, '丙店', POINT(120.2, 36.1), NULL, NULL)",
  );
});

const stream = { table: 'T_CS', key: 'ID' };

async function fingerprints(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of legacy.source.read({ stream, after: null, pageSize: 2 })) {
    for (const [key, fp] of page.fingerprints ?? []) out.set(key, fp);
  }
  return out;
}

describe('mysql spatial columns', () => {
  it('reads a table with a spatial column, handing the point over', async () => {
    const rows: SourceRow[] = [];
    for await (const page of legacy.source.read({ stream, after: null, pageSize: 2 }))
      rows.push(...page.rows);
    expect(rows.map((r) => r.key)).toEqual(['1', '2', '3']);
    expect(rows.map((r) => r.values.ZB)).toEqual(['{"x":120.1,"y":36}', null, '{"x":120.2,"y":36.1}']);
  });

  it("changes the row's fingerprint, and its bucket's digest, when a point moves", async () => {
    const before = await fingerprints();
    const digests = await digestsInDb(legacy.source, stream, 1);
    await legacy.fresh.conn.query('UPDATE T_CS SET ZB = POINT(120.1, 36.5) WHERE ID = 1');
    const after = await fingerprints();
    expect([...after].filter(([k, fp]) => before.get(k) !== fp).map(([k]) => k)).toEqual(['1']);
    expect(await digestsInDb(legacy.source, stream, 1)).not.toEqual(digests);
  });
});
